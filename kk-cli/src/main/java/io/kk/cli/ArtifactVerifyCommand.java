package io.kk.cli;

import io.kk.artifact.ArtifactReader;
import io.kk.artifact.VerifyReport;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "verify",
        description = "Check every file's sha256 and every image blob's digest, offline; exit 1 on any mismatch.")
final class ArtifactVerifyCommand implements Callable<Integer> {
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
            names = "--key",
            paramLabel = "PUBLIC_PEM",
            description = "Also check the detached ed25519 signature <artifact>.sig with this public key.")
    Path publicKey;

    ArtifactVerifyCommand(Console console) {
        this.console = console;
    }

    @Override
    public Integer call() {
        VerifyReport r = new ArtifactReader(console).verify(artifact, publicKey);
        for (VerifyReport.Mismatch m : r.mismatches()) {
            console.line("MISMATCH " + m.path() + ": " + m.problem());
        }
        String what = r.kkIndex()
                ? r.filesChecked() + " files checked against kk/index.json, " + r.blobsChecked() + " blob digests"
                : "KubeKey artifact without kk index: " + r.blobsChecked() + " blob digests checked ("
                        + r.filesChecked() + " files read)";
        String signature = r.signedSha256().isEmpty() ? "" : "; signature valid (sha256 " + r.signedSha256() + ")";
        console.line((r.ok() ? "OK " : "FAILED ") + artifact + ": " + what + signature
                + (r.ok() ? "" : "; " + r.mismatches().size() + " problem(s)"));
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("file", artifact.toString());
        json.put("ok", r.ok());
        json.put("kkIndex", r.kkIndex());
        json.put("filesChecked", r.filesChecked());
        json.put("blobsChecked", r.blobsChecked());
        json.put("bytesChecked", r.bytesChecked());
        json.put("signedSha256", r.signedSha256());
        json.put("mismatches", r.mismatches());
        console.result(json);
        return r.ok() ? 0 : 1;
    }
}
