package io.kk.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code kk completion [--type bash|zsh]}, as KubeKey's verb: a bash completion script for every
 * verb and option; zsh loads the same script through bashcompinit (the script sets that up).
 */
@Command(
        name = "completion",
        description = "Print a shell completion script: source <(kk completion) or kk completion --type zsh.")
final class CompletionCommand implements Callable<Integer> {
    private final Console console;

    @Spec
    CommandSpec spec;

    @Option(names = "--type", paramLabel = "SHELL", description = "bash (default) or zsh.")
    String type;

    @Parameters(arity = "0..1", paramLabel = "SHELL", description = "The shell, as an argument (bash or zsh).")
    String shell;

    CompletionCommand(Console console) {
        this.console = console;
    }

    @Override
    public Integer call() {
        String s = type != null ? type : shell != null ? shell : "bash";
        if (!s.equals("bash") && !s.equals("zsh")) {
            throw io.kk.error.KkException.invalidInput(
                    "unknown shell \"" + s + "\" for completion", "use --type bash or --type zsh");
        }
        String script = AutoComplete.bash("kk", spec.root().commandLine());
        if (s.equals("zsh")) {
            script = "autoload -U +X compinit && compinit\nautoload -U +X bashcompinit && bashcompinit\n" + script;
        }
        console.line(script.stripTrailing());
        return 0;
    }
}
