package io.kk.image;

import java.util.List;
import java.util.Objects;

/**
 * Where images are pushed, and how their names are rewritten, exactly as KubeKey's {@code
 * Image.ImageRepo()} does it (v3.0/v3.1). A source image is split into namespace (the path before
 * its last component, e.g. {@code calico}) and repo (the last component, e.g. {@code cni}); then:
 *
 * <ul>
 *   <li>with {@code kkZoneCn} and no private registry (or the aliyun one), the registry becomes
 *       {@code registry.cn-beijing.aliyuncs.com} and the namespace override {@code kubesphereio};
 *   <li>a {@link NamespaceRewrite} (changePrefix) replaces a contained {@code src} in the namespace
 *       by {@code dest} (the last matching src wins; every occurrence is replaced), or prefixes
 *       {@code dest/} when none matches;
 *   <li>no registry: {@code <ns>/<repo>} (Docker Hub), or {@code <repo>};
 *   <li>a registry, no override: {@code <registry>/<ns or "library">/<repo>};
 *   <li>a registry and an override: {@code <registry>/<override>/<repo>} for every image.
 * </ul>
 *
 * The source registry never survives: KubeKey drops it. Defined here (not in config) so the image
 * engine does not depend on the Cluster config; the config maps its {@code registry} section onto
 * this record.
 *
 * @param privateRegistry e.g. {@code dockerhub.kubekey.local} or {@code host:5000}; empty for none
 * @param namespaceOverride one namespace for every image; empty for none
 * @param namespaceRewrite the v3.1 changePrefix rewrite, or null
 * @param kkZoneCn true when {@code KKZONE=cn} is set in the environment
 */
public record RegistryTarget(
        String privateRegistry, String namespaceOverride, NamespaceRewrite namespaceRewrite, boolean kkZoneCn) {
    public static final String CN_REGISTRY = "registry.cn-beijing.aliyuncs.com";
    public static final String CN_NAMESPACE_OVERRIDE = "kubesphereio";

    public RegistryTarget {
        privateRegistry = privateRegistry == null ? "" : privateRegistry.trim();
        namespaceOverride = namespaceOverride == null ? "" : namespaceOverride.trim();
    }

    public static RegistryTarget of(String privateRegistry) {
        return new RegistryTarget(privateRegistry, "", null, false);
    }

    public RegistryTarget withNamespaceOverride(String override) {
        return new RegistryTarget(privateRegistry, override, namespaceRewrite, kkZoneCn);
    }

    /**
     * KubeKey v3.1 {@code namespaceRewrite}. Only the policy {@code changePrefix} rewrites;
     * KubeKey ignores other policies with a warning, and so do we.
     */
    public record NamespaceRewrite(String policy, List<String> src, String dest) {
        public static final String CHANGE_PREFIX = "changePrefix";

        public NamespaceRewrite {
            policy = Objects.requireNonNullElse(policy, "");
            src = src == null ? List.of() : List.copyOf(src);
            dest = Objects.requireNonNullElse(dest, "");
        }

        String apply(String namespace) {
            if (!CHANGE_PREFIX.equals(policy)) {
                return namespace;
            }
            String match = "";
            for (String s : src) {
                if (namespace.contains(s)) {
                    match = s;
                }
            }
            return match.isEmpty() ? dest + "/" + namespace : namespace.replace(match, dest);
        }
    }

    /** The destination repository of a source image (KubeKey's {@code ImageRepo()}), no tag. */
    public String repositoryFor(String namespace, String repo) {
        String addr = privateRegistry;
        String override = namespaceOverride;
        if (kkZoneCn && (addr.isEmpty() || addr.equals(CN_REGISTRY))) {
            addr = CN_REGISTRY;
            override = CN_NAMESPACE_OVERRIDE;
        }
        String ns = namespace;
        if (namespaceRewrite != null) {
            ns = namespaceRewrite.apply(ns);
        }
        String prefix;
        if (addr.isEmpty()) {
            prefix = ns.isEmpty() ? "" : ns + "/";
        } else if (override.isEmpty()) {
            prefix = addr + "/" + (ns.isEmpty() ? "library" : ns) + "/";
        } else {
            prefix = addr + "/" + override + "/";
        }
        return prefix + repo;
    }

    /** The registry host the rewritten names point at ({@code docker.io} when none is set). */
    public String registryHost() {
        if (kkZoneCn && (privateRegistry.isEmpty() || privateRegistry.equals(CN_REGISTRY))) {
            return CN_REGISTRY;
        }
        if (privateRegistry.isEmpty()) {
            return ImageReference.DOCKER_HUB;
        }
        int slash = privateRegistry.indexOf('/');
        return slash < 0 ? privateRegistry : privateRegistry.substring(0, slash);
    }

    /** Rewrites a source image into its destination, keeping the tag (digest dropped). */
    public ImageReference destinationFor(ImageReference source) {
        String path = source.repository();
        int last = path.lastIndexOf('/');
        String namespace = last < 0 ? "" : path.substring(0, last);
        String repo = path.substring(last + 1);
        String ref = source.tag() != null ? ":" + source.tag() : "@" + source.digest();
        return ImageReference.parse(repositoryFor(namespace, repo) + ref);
    }
}
