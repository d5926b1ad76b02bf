package io.kk.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompletionCommandTest {
    private final KkCli kk = new KkCli();

    /** The script loads in a real bash and completes "kk cr" to "create" and its verbs. */
    @Test
    void bashScriptCompletesVerbsInARealBash(@TempDir Path dir) throws Exception {
        assertThat(kk.run("completion", "--type", "bash")).isZero();
        Path script = dir.resolve("kk.bash");
        Files.writeString(script, kk.out());
        String probe = "source " + script + "; COMP_WORDS=(kk create cl); COMP_CWORD=2; COMP_LINE='kk create cl';"
                + " COMP_POINT=${#COMP_LINE}; _complete_kk kk cl create; printf '%s\\n' \"${COMPREPLY[@]}\"";
        Process p = new ProcessBuilder("bash", "-c", probe)
                .redirectErrorStream(true)
                .start();
        String got = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(got.lines()).as(got).contains("cluster");
    }

    @Test
    void zshGetsBashcompinitAndAnUnknownShellIsBadInput() {
        assertThat(kk.run("completion", "zsh")).isZero();
        assertThat(kk.out()).startsWith("autoload -U +X compinit");
        assertThat(kk.run("completion", "--type", "fish")).isEqualTo(2);
        assertThat(kk.err()).contains("unknown shell \"fish\"").contains("--type bash");
    }
}
