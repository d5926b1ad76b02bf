package io.kk.cluster.kubernetes;

/**
 * How KubeKey names an image on the nodes: without a private registry, Docker Hub names without
 * {@code docker.io/} (e.g. {@code kubesphere/kube-apiserver:v1.26.5}); with one, {@code
 * <privateRegistry>/<namespaceOverride or namespace>/<repo>:<tag>}.
 *
 * @param privateRegistry host[:port][/project], or "" for Docker Hub
 * @param namespaceOverride replaces the namespace, only together with a private registry
 */
public record ImageRewrite(String privateRegistry, String namespaceOverride) {

    public ImageRewrite {
        privateRegistry = privateRegistry == null ? "" : stripSlash(privateRegistry.trim());
        namespaceOverride = namespaceOverride == null ? "" : stripSlash(namespaceOverride.trim());
    }

    public static ImageRewrite none() {
        return new ImageRewrite("", "");
    }

    /** Rewrites a Docker Hub reference {@code docker.io/ns/repo:tag} as the nodes will pull it. */
    public String apply(String dockerHubReference) {
        String ref = dockerHubReference.startsWith("docker.io/")
                ? dockerHubReference.substring("docker.io/".length())
                : dockerHubReference;
        if (privateRegistry.isEmpty()) {
            return ref;
        }
        int slash = ref.lastIndexOf('/');
        String namespace = slash < 0 ? "library" : ref.substring(0, slash);
        String repoAndTag = slash < 0 ? ref : ref.substring(slash + 1);
        String ns = namespaceOverride.isEmpty() ? namespace : namespaceOverride;
        return privateRegistry + "/" + ns + "/" + repoAndTag;
    }

    /** The repository part of a rewritten reference (everything before {@code /<name>:<tag>}). */
    static String repositoryOf(String reference) {
        return reference.substring(0, reference.lastIndexOf('/'));
    }

    static String tagOf(String reference) {
        return reference.substring(reference.lastIndexOf(':') + 1);
    }

    private static String stripSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }
}
