package io.kk.config;

import java.util.List;
import java.util.Map;

/**
 * Where images come from and how runtimes reach registries.
 *
 * @param type "" (Docker registry, for {@code init registry}) or "harbor"
 * @param privateRegistry host[:port] or host[:port]/project; empty when none
 * @param namespaceRewrite null when not set
 * @param auths registry host -> credentials and TLS settings
 */
public record RegistryConfig(
        String type,
        List<String> registryMirrors,
        List<String> insecureRegistries,
        String privateRegistry,
        String namespaceOverride,
        NamespaceRewrite namespaceRewrite,
        Map<String, RegistryAuth> auths,
        String dataRoot,
        String bridgeIP,
        String containerdDataDir,
        String dockerDataDir,
        String registryDataDir,
        List<String> remoteMirrors) {

    public RegistryConfig {
        registryMirrors = List.copyOf(registryMirrors);
        insecureRegistries = List.copyOf(insecureRegistries);
        auths = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(auths));
        remoteMirrors = List.copyOf(remoteMirrors);
    }

    /** The host part of privateRegistry (before any {@code /project}); empty when none. */
    public String privateRegistryHost() {
        return privateRegistry.isEmpty() ? "" : privateRegistry.split("/", 2)[0];
    }

    /** KubeKey's namespaceRewrite: replace a matching prefix of an image's namespace. */
    public record NamespaceRewrite(String policy, List<String> src, String dest) {
        public NamespaceRewrite {
            src = List.copyOf(src);
        }
    }
}
