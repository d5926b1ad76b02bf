package io.kk.cluster;

import io.kk.config.ClusterConfig;
import io.kk.config.RegistryConfig;
import io.kk.error.KkException;
import io.kk.image.RegistryTarget;
import io.kk.image.registry.RegistryAuth;
import io.kk.image.registry.RegistryCredentials;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** The Cluster config's {@code spec.registry} as the image engine needs it. */
public final class ClusterRegistry {
    private ClusterRegistry() {}

    /** Where images go and how their names are rewritten (privateRegistry, namespaceOverride/Rewrite). */
    public static RegistryTarget target(ClusterConfig c, String configFile) {
        RegistryConfig r = c.registry();
        if (r.privateRegistry() == null || r.privateRegistry().isBlank()) {
            throw KkException.invalidInput(
                    configFile + ": spec.registry.privateRegistry is not set, so there is no registry to push to",
                    "set spec.registry.privateRegistry (e.g. dockerhub.kubekey.local), or pass --registry");
        }
        RegistryTarget.NamespaceRewrite rewrite = r.namespaceRewrite() == null
                ? null
                : new RegistryTarget.NamespaceRewrite(
                        r.namespaceRewrite().policy(),
                        r.namespaceRewrite().src(),
                        r.namespaceRewrite().dest());
        return new RegistryTarget(
                r.privateRegistry(), r.namespaceOverride(), rewrite, "cn".equals(System.getenv("KKZONE")));
    }

    /**
     * Credentials per registry host from {@code registry.auths} (username, password, skipTLSVerify,
     * plainHTTP, and a CA from caFile or certsPath/ca.crt), with docker's config.json behind them.
     */
    public static RegistryCredentials credentials(ClusterConfig c) {
        Map<String, RegistryAuth> auths = new LinkedHashMap<>();
        c.registry().auths().forEach((host, a) -> {
            Path ca = null;
            if (a.caFile() != null && !a.caFile().isBlank()) {
                ca = Path.of(a.caFile());
            } else if (a.certsPath() != null
                    && !a.certsPath().isBlank()
                    && Files.isRegularFile(Path.of(a.certsPath(), "ca.crt"))) {
                ca = Path.of(a.certsPath(), "ca.crt");
            }
            auths.put(host, new RegistryAuth(a.username(), a.password(), a.skipTLSVerify(), a.plainHTTP(), ca));
        });
        return RegistryCredentials.of(auths)
                .orElse(RegistryCredentials.fromDockerConfig(RegistryCredentials.defaultDockerConfig()));
    }
}
