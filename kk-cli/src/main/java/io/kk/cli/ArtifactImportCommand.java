package io.kk.cli;

import io.kk.artifact.ArtifactReader;
import io.kk.artifact.ImportResult;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "import",
        description = "Unpack an artifact (kk's or KubeKey's) into kk's work dir, verifying every file as it goes.")
final class ArtifactImportCommand implements Callable<Integer> {
    private final Console console;

    @Mixin
    GlobalOptions global;

    @Option(
            names = {"-a", "--artifact"},
            required = true,
            paramLabel = "FILE",
            description = "The artifact.")
    Path artifact;

    @Option(
            names = "--dir",
            paramLabel = "DIR",
            defaultValue = "kubekey",
            description = "The work dir to unpack into (default: ${DEFAULT-VALUE}, as KubeKey).")
    Path dir;

    ArtifactImportCommand(Console console) {
        this.console = console;
    }

    @Override
    public Integer call() {
        ImportResult r = new ArtifactReader(console).importTo(artifact, dir);
        console.line("imported " + r.files() + " files (" + ProgressRenderer.amount(r.bytes(), "B") + ") into "
                + r.dir() + (r.kkIndex() ? ", each verified against kk/index.json" : ", image blobs verified"));
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("dir", r.dir().toString());
        json.put("kkIndex", r.kkIndex());
        json.put("files", r.files());
        json.put("bytes", r.bytes());
        console.result(json);
        return 0;
    }
}
