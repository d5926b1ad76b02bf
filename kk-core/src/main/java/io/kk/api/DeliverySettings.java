package io.kk.api;

import io.kk.cluster.images.ClusterImages;
import io.kk.cluster.registry.RegistryFiles;
import io.kk.cluster.runtime.RuntimeSettings;
import io.kk.config.ClusterConfig;
import io.kk.config.Host;
import io.kk.config.RegistryAuth;
import io.kk.config.RegistryConfig;
import io.kk.error.KkException;
import io.kk.image.ImageReference;
import io.kk.image.RegistryTarget;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Cluster config's {@code registry} section as the registry, images and runtime phases need
 * it: one place that decides the registry's name, port and trust, so the three agree.
 */
final class DeliverySettings {
    private DeliverySettings() {}

    /** The private registry's host[:port]: privateRegistry's host, or KubeKey's default name. */
    static String registryHostPort(ClusterConfig c) {
        String h = c.registry().privateRegistryHost();
        return h.isEmpty() ? RegistryFiles.DEFAULT_REGISTRY_NAME : h;
    }

    static String registryName(ClusterConfig c) {
        String hp = registryHostPort(c);
        int colon = hp.lastIndexOf(':');
        return colon > 0 && hp.indexOf(':') == colon ? hp.substring(0, colon) : hp;
    }

    static int registryPort(ClusterConfig c) {
        String hp = registryHostPort(c);
        int colon = hp.lastIndexOf(':');
        return colon > 0 && hp.indexOf(':') == colon ? Integer.parseInt(hp.substring(colon + 1)) : 443;
    }

    /** The host with the registry role, when kk runs the registry itself. */
    static Optional<Host> ownRegistryHost(ClusterConfig c) {
        return c.registryHost();
    }

    static Host requireRegistryHost(ClusterConfig c) {
        return c.registryHost()
                .orElseThrow(() -> KkException.invalidInput(
                        "no host has the registry role",
                        "add a host to spec.roleGroups.registry; kk installs the registry there"));
    }

    /** The auth entry the config gives for the private registry, or null. */
    static RegistryAuth privateAuth(ClusterConfig c) {
        Map<String, RegistryAuth> auths = c.registry().auths();
        RegistryAuth a = auths.get(registryHostPort(c));
        return a != null ? a : auths.get(registryName(c));
    }

    /** KubeKey's name rewriting for the config's registry section. */
    static RegistryTarget target(ClusterConfig c) {
        RegistryConfig r = c.registry();
        RegistryTarget.NamespaceRewrite rewrite = r.namespaceRewrite() == null
                ? null
                : new RegistryTarget.NamespaceRewrite(
                        r.namespaceRewrite().policy(),
                        r.namespaceRewrite().src(),
                        r.namespaceRewrite().dest());
        String kkZone = System.getenv("KKZONE");
        return new RegistryTarget(privateRegistry(c), r.namespaceOverride(), rewrite, "cn".equals(kkZone));
    }

    /** privateRegistry, or KubeKey's default name when kk runs the registry and none is set. */
    static String privateRegistry(ClusterConfig c) {
        String pr = c.registry().privateRegistry();
        return pr.isEmpty() && c.registryHost().isPresent() ? registryHostPort(c) : pr;
    }

    /** The pause image, rewritten as the images were pushed. */
    static String sandboxImage(ClusterConfig c) {
        String pause = ClusterImages.pauseAndCoreDns(
                        c.kubernetes().version(), c.kubernetes().containerManager())
                .pause();
        return target(c)
                .destinationFor(ImageReference.parse("docker.io/" + ClusterImages.KUBE_NAMESPACE + "/pause:" + pause))
                .toString();
    }

    /** Where nodes keep kk's registry CA for their runtime (see RegistryRequest#nodeCaPath). */
    static String nodeCaPath(ClusterConfig c) {
        String base = "docker".equals(c.kubernetes().containerManager())
                ? "/etc/docker/certs.d/"
                : "/etc/containerd/certs.d/";
        return base + registryHostPort(c) + "/ca.crt";
    }

    static RuntimeSettings runtimeSettings(ClusterConfig c) {
        RegistryConfig r = c.registry();
        List<RuntimeSettings.RegistryAccess> access = new ArrayList<>();
        boolean own = c.registryHost().isPresent();
        String privateHost = registryHostPort(c);
        boolean privateListed = false;
        for (Map.Entry<String, RegistryAuth> e : r.auths().entrySet()) {
            RegistryAuth a = e.getValue();
            boolean isPrivate = e.getKey().equals(privateHost) || e.getKey().equals(registryName(c));
            privateListed |= isPrivate;
            String ca = nonEmpty(a.caFile()) ? a.caFile() : isPrivate && own ? nodeCaPath(c) : "";
            access.add(new RuntimeSettings.RegistryAccess(
                    privateHost.equals(e.getKey()) || !isPrivate ? e.getKey() : privateHost,
                    a.username(),
                    a.password(),
                    ca,
                    a.certFile(),
                    a.keyFile(),
                    a.skipTLSVerify(),
                    a.plainHTTP()));
        }
        if (own && !privateListed) {
            access.add(new RuntimeSettings.RegistryAccess(privateHost, "", "", nodeCaPath(c), "", "", false, false));
        }
        String dataRoot = "docker".equals(c.kubernetes().containerManager())
                ? firstNonEmpty(r.dockerDataDir(), r.dataRoot())
                : firstNonEmpty(r.containerdDataDir(), r.dataRoot());
        return new RuntimeSettings(
                dataRoot, sandboxImage(c), r.registryMirrors(), r.insecureRegistries(), access, "", r.bridgeIP());
    }

    private static boolean nonEmpty(String s) {
        return s != null && !s.isEmpty();
    }

    private static String firstNonEmpty(String a, String b) {
        return nonEmpty(a) ? a : nonEmpty(b) ? b : "";
    }
}
