package io.kk.cli;

import io.kk.api.Artifacts;
import io.kk.api.Configs;
import io.kk.api.ImagePush;
import io.kk.cluster.ClusterRegistry;
import io.kk.config.ClusterConfig;
import io.kk.error.KkException;
import io.kk.image.Platform;
import io.kk.image.RegistryTarget;
import io.kk.image.copy.CopySummary;
import io.kk.image.copy.ImageCopier;
import io.kk.image.registry.RegistryAuth;
import io.kk.image.registry.RegistryClient;
import io.kk.image.registry.RegistryCredentials;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code kk artifact images push}: every image of an artifact (or a bare OCI layout) into a
 * registry, names rewritten as KubeKey does. The registry comes from flags for now; a Cluster config
 * ({@code -f}) maps its {@code registry} section (privateRegistry, namespaceOverride,
 * namespaceRewrite, auths) onto the same {@link RegistryTarget} and {@link RegistryAuth}.
 */
@Command(name = "push", description = "Push the artifact's images to a registry (digests kept).")
final class ArtifactImagesPushCommand implements Callable<Integer> {
    private final Console console;
    InputStream stdin = System.in;

    @Mixin
    GlobalOptions global;

    @Option(
            names = {"-a", "--artifact"},
            required = true,
            paramLabel = "FILE|DIR",
            description =
                    "An artifact (imported into the work dir first), its unpacked directory, or an OCI image layout.")
    Path artifact;

    @Option(
            names = {"-f", "--filename"},
            paramLabel = "FILE",
            description = "A Cluster config: its spec.registry (privateRegistry, namespaceOverride, namespaceRewrite,"
                    + " auths) says where the images go.")
    Path configFile;

    @Option(
            names = "--dir",
            paramLabel = "DIR",
            defaultValue = "kubekey",
            description = "kk's work dir, where an artifact file is imported (default: ${DEFAULT-VALUE}).")
    Path workDir;

    @Option(
            names = "--registry",
            paramLabel = "HOST[:PORT]",
            description = "The private registry (KubeKey's privateRegistry).")
    String registry;

    @Option(
            names = "--namespace-override",
            paramLabel = "NS",
            description = "Put every image in this namespace (KubeKey's namespaceOverride).")
    String namespaceOverride;

    @Option(names = "--plain-http", description = "The registry speaks plain HTTP.")
    boolean plainHttp;

    @Option(
            names = {"--insecure", "--skip-tls-verify"},
            description = "Do not verify the registry's TLS certificate.")
    boolean insecure;

    @Option(
            names = "--ca-file",
            paramLabel = "PEM",
            description = "CA certificate(s) that signed the registry's certificate.")
    Path caFile;

    @Option(names = "--username", description = "Registry user (else docker's config.json is used).")
    String username;

    @Option(names = "--password-stdin", description = "Read the registry password from stdin.")
    boolean passwordStdin;

    @Option(
            names = "--arch",
            split = ",",
            paramLabel = "ARCH",
            description = "Only these platforms (e.g. amd64,arm64); default all.")
    List<String> arches = new ArrayList<>();

    @Option(
            names = "--parallel",
            defaultValue = "" + ImageCopier.DEFAULT_PARALLEL_BLOBS,
            description = "Blob transfers at once (default ${DEFAULT-VALUE}).")
    int parallel;

    ArtifactImagesPushCommand(Console console) {
        this.console = console;
    }

    @Override
    public Integer call() {
        RegistryTarget target;
        RegistryCredentials credentials;
        if (configFile != null && (registry == null || registry.isBlank())) {
            ClusterConfig config = Configs.load(configFile).orThrow();
            target = ClusterRegistry.target(config, configFile.toString());
            credentials = ClusterRegistry.credentials(config);
        } else {
            if (registry == null || registry.isBlank()) {
                throw KkException.invalidInput(
                        "no target registry given",
                        "pass -f config.yaml (its spec.registry.privateRegistry) or --registry HOST[:PORT]");
            }
            target = new RegistryTarget(registry, namespaceOverride, null, "cn".equals(System.getenv("KKZONE")));
            String password = passwordStdin ? readPassword() : null;
            if (passwordStdin && username == null) {
                throw KkException.invalidInput("--password-stdin needs --username", "pass --username USER");
            }
            RegistryAuth auth = new RegistryAuth(username, password, insecure, plainHttp, caFile);
            credentials = RegistryCredentials.of(Map.of(target.registryHost(), auth))
                    .orElse(RegistryCredentials.fromDockerConfig(RegistryCredentials.defaultDockerConfig()));
        }
        Path layout = Artifacts.prepare(artifact, workDir, console);
        if (java.nio.file.Files.isDirectory(layout.resolve("images"))
                && !java.nio.file.Files.exists(layout.resolve("index.json"))) {
            layout = layout.resolve("images");
        }
        ImageCopier.Options options = new ImageCopier.Options(
                parallel,
                Math.max(2, parallel / 2),
                arches.stream().map(Platform::parse).toList(),
                credentials,
                RegistryClient.Options.DEFAULT);
        CopySummary summary = ImagePush.push(layout, target, options, console);
        for (CopySummary.CopiedImage i : summary.images()) {
            console.line((i.unchanged() ? "unchanged " : "pushed    ") + i.destination() + "@" + i.digest());
        }
        console.line(String.format(
                "%d images, %d blobs copied (%s), %d skipped, %d mounted",
                summary.images().size(),
                summary.blobsTransferred(),
                ProgressRenderer.amount(summary.bytesTransferred(), "B"),
                summary.blobsSkipped(),
                summary.blobsMounted()));
        console.result(summary);
        return 0;
    }

    private String readPassword() {
        try {
            String s = new String(stdin.readAllBytes(), StandardCharsets.UTF_8);
            return s.strip();
        } catch (IOException e) {
            throw KkException.invalidInput("cannot read the password from stdin", "pipe it in: echo $PW | kk ...");
        }
    }
}
