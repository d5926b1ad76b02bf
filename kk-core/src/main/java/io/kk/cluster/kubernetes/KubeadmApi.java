package io.kk.cluster.kubernetes;

/**
 * The kubeadm configuration API a Kubernetes release reads. v1beta2 is the newest that 1.19-1.21
 * know; v1beta3 arrives in 1.22 (v1beta2 is removed in 1.26); v1beta4 arrives in 1.31, where
 * extraArgs become lists of name/value pairs.
 */
public enum KubeadmApi {
    V1BETA2("kubeadm.k8s.io/v1beta2"),
    V1BETA3("kubeadm.k8s.io/v1beta3"),
    V1BETA4("kubeadm.k8s.io/v1beta4");

    private final String apiVersion;

    KubeadmApi(String apiVersion) {
        this.apiVersion = apiVersion;
    }

    public String apiVersion() {
        return apiVersion;
    }

    public static KubeadmApi forVersion(KubeVersion v) {
        if (v.atLeast(31)) {
            return V1BETA4;
        }
        if (v.atLeast(22)) {
            return V1BETA3;
        }
        return V1BETA2;
    }

    /** v1beta4 writes extraArgs / kubeletExtraArgs as {@code [{name, value}]}, older APIs as a map. */
    public boolean argsAsList() {
        return this == V1BETA4;
    }
}
