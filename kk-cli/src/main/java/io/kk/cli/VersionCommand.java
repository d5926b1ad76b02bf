package io.kk.cli;

import io.kk.api.KkVersion;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Mixin;

@Command(name = "version", description = "Print kk's version.")
final class VersionCommand implements Callable<Integer> {
    private final Console console;

    @Mixin
    GlobalOptions global;

    VersionCommand(Console console) {
        this.console = console;
    }

    @Override
    public Integer call() {
        console.line("kk version " + KkVersion.current());
        console.result(Map.of("version", KkVersion.current()));
        return 0;
    }

    static final class Provider implements IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"kk " + KkVersion.current()};
        }
    }
}
