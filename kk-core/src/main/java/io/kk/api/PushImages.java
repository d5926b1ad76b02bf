package io.kk.api;

import io.kk.artifact.ArtifactPaths;
import io.kk.cluster.registry.RegistryCertificates;
import io.kk.config.ClusterConfig;
import io.kk.config.Host;
import io.kk.config.RegistryAuth;
import io.kk.error.KkException;
import io.kk.event.EventSink;
import io.kk.event.Note;
import io.kk.image.RegistryTarget;
import io.kk.image.copy.CopySummary;
import io.kk.image.copy.ImageCopier;
import io.kk.image.registry.RegistryCredentials;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The images phase, a local step on the control machine: every image of the artifact's {@code
 * images/} layout pushed to the private registry with KubeKey's privateRegistry /
 * namespaceOverride / namespaceRewrite naming, trusting kk's registry CA and using the config's
 * auths.
 *
 * <p>When kk runs the registry itself (a host has the {@code registry} role), its name (e.g.
 * dockerhub.kubekey.local) is mapped to that host only in the nodes' /etc/hosts; the control
 * machine may not resolve it. The push then goes to the registry host's address (kk's certificate
 * names it too) with the very same repository paths, so nodes find the images under the name.
 */
public final class PushImages {
    private PushImages() {}

    /** @param workDir kk's work dir, holding the registry CA kk made ({@code pki/registry/ca.pem}) */
    public record Request(ClusterConfig config, Path artifactDir, Path workDir) {}

    /** What the phase would do, for dry runs. */
    public record Plan(Path layout, String registry, String connectTo, String caFile) {}

    public static Plan plan(Request r) {
        Path layout = r.artifactDir().resolve(ArtifactPaths.IMAGES);
        String connect = connectHost(r.config()).orElse(DeliverySettings.registryHostPort(r.config()));
        Path ca = caFile(r);
        return new Plan(
                layout, DeliverySettings.registryHostPort(r.config()), connect, ca == null ? "" : ca.toString());
    }

    public static CopySummary run(Request r, EventSink events) {
        ClusterConfig c = r.config();
        Path layout = r.artifactDir().resolve(ArtifactPaths.IMAGES);
        if (!Files.isRegularFile(layout.resolve("index.json"))) {
            throw KkException.invalidInput(
                    "the artifact " + r.artifactDir() + " holds no images (no " + ArtifactPaths.IMAGES_INDEX + ")",
                    "export an artifact with images, or skip the images phase");
        }
        if (c.registry().privateRegistry().isEmpty() && c.registryHost().isEmpty()) {
            throw KkException.invalidInput(
                    "no private registry to push to",
                    "set spec.registry.privateRegistry, or give a host the registry role");
        }
        RegistryTarget named = DeliverySettings.target(c);
        Optional<String> connect = connectHost(c);
        String registryHostPort = DeliverySettings.registryHostPort(c);
        RegistryTarget target = named;
        if (connect.isPresent()) {
            String pr = DeliverySettings.privateRegistry(c);
            String rest = pr.substring(registryHostPort.length());
            target = new RegistryTarget(
                    connect.get() + rest, named.namespaceOverride(), named.namespaceRewrite(), named.kkZoneCn());
            events.emit(Note.info("pushing to " + registryHostPort + " through the registry host at " + connect.get()));
        }
        RegistryAuth auth = DeliverySettings.privateAuth(c);
        Path ca = caFile(r);
        if (auth != null && auth.caFile() != null && !auth.caFile().isEmpty()) {
            ca = Path.of(auth.caFile());
        }
        io.kk.image.registry.RegistryAuth pushAuth = new io.kk.image.registry.RegistryAuth(
                auth == null ? null : auth.username(),
                auth == null ? null : auth.password(),
                auth != null && auth.skipTLSVerify(),
                auth != null && auth.plainHTTP(),
                ca);
        Map<String, io.kk.image.registry.RegistryAuth> byHost = new LinkedHashMap<>();
        byHost.put(target.registryHost(), pushAuth);
        ImageCopier.Options options = ImageCopier.Options.defaults(RegistryCredentials.of(byHost));
        return ImagePush.push(layout, target, options, events);
    }

    /** The registry host's address:port when kk runs the registry, else empty (push by name). */
    static Optional<String> connectHost(ClusterConfig c) {
        Optional<Host> h = DeliverySettings.ownRegistryHost(c);
        if (h.isEmpty()) {
            return Optional.empty();
        }
        int port = DeliverySettings.registryPort(c);
        String address = h.get().internalIPv4();
        return Optional.of(port == 443 ? address : address + ":" + port);
    }

    private static Path caFile(Request r) {
        Path ca = r.workDir().resolve(RegistryCertificates.DIR).resolve("ca.pem");
        return r.config().registryHost().isPresent() ? ca : null;
    }
}
