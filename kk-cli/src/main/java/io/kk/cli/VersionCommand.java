package io.kk.cli;

import io.kk.api.KkVersion;
import io.kk.catalog.Catalog;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "version", description = "Print kk's version.")
final class VersionCommand implements Callable<Integer> {
    private final Console console;

    @Mixin
    GlobalOptions global;

    @Option(
            names = "--show-supported-k8s",
            description = "Print the Kubernetes versions kk has checksums for, one per line, oldest first.")
    boolean showSupportedK8s;

    VersionCommand(Console console) {
        this.console = console;
    }

    @Override
    public Integer call() {
        if (showSupportedK8s) {
            List<String> versions = Catalog.builtin().supportedKubernetesVersions();
            versions.forEach(console::line);
            console.result(Map.of("supportedKubernetesVersions", versions));
            return 0;
        }
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
