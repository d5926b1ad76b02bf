package io.kk.cluster.kubernetes;

import java.util.List;
import java.util.Objects;

/** Where the cluster's etcd runs, as the ClusterConfiguration's {@code etcd} section says it. */
public sealed interface EtcdMode permits EtcdMode.KubeadmLocal, EtcdMode.External {

    /** Where kk keeps etcd certificates on control-plane nodes (KubeKey's layout). */
    String CERT_DIR = "/etc/ssl/etcd/ssl";

    /** The Cluster config's {@code spec.etcd.type}: kubekey, kubeadm or external. */
    String type();

    /**
     * etcd as a static pod that kubeadm runs on each control plane ({@code type: kubeadm}).
     *
     * @param imageRepository already rewritten for the private registry, without {@code /etcd}
     * @param serverCertSans extra SANs for etcd's serving certificate
     */
    record KubeadmLocal(String imageRepository, String imageTag, List<String> serverCertSans) implements EtcdMode {
        public KubeadmLocal {
            Objects.requireNonNull(imageRepository, "imageRepository");
            Objects.requireNonNull(imageTag, "imageTag");
            serverCertSans = List.copyOf(serverCertSans);
        }

        @Override
        public String type() {
            return "kubeadm";
        }
    }

    /**
     * etcd outside kubeadm: kk's own members ({@code kubekey}) or the user's ({@code external}).
     * Empty file paths are left out of the configuration (plain-HTTP etcd).
     */
    record External(String type, List<String> endpoints, String caFile, String certFile, String keyFile)
            implements EtcdMode {
        public External {
            Objects.requireNonNull(type, "type");
            endpoints = List.copyOf(endpoints);
            if (endpoints.isEmpty()) {
                throw new IllegalArgumentException("external etcd needs at least one endpoint");
            }
            caFile = caFile == null ? "" : caFile;
            certFile = certFile == null ? "" : certFile;
            keyFile = keyFile == null ? "" : keyFile;
        }
    }

    /**
     * kk's own etcd ({@code type: kubekey}): https on port 2379 of each etcd host, and the node
     * certificate of the control plane that runs {@code kubeadm init}. kk copies every node
     * certificate to every control plane, so the path stays valid on the others too.
     */
    static External kubekey(List<String> etcdInternalAddresses, int port, String initNodeName) {
        return new External(
                "kubekey",
                etcdInternalAddresses.stream()
                        .map(a -> "https://" + a + ":" + port)
                        .toList(),
                CERT_DIR + "/ca.pem",
                CERT_DIR + "/node-" + initNodeName + ".pem",
                CERT_DIR + "/node-" + initNodeName + "-key.pem");
    }

    /**
     * The user's etcd ({@code type: external}): as KubeKey does, the TLS files the user named are
     * copied to {@link #CERT_DIR} under their base name, and the configuration points there.
     */
    static External userProvided(List<String> endpoints, String caFile, String certFile, String keyFile) {
        boolean tls = !blank(caFile) && !blank(certFile) && !blank(keyFile);
        return new External(
                "external",
                endpoints,
                tls ? CERT_DIR + "/" + baseName(caFile) : "",
                tls ? CERT_DIR + "/" + baseName(certFile) : "",
                tls ? CERT_DIR + "/" + baseName(keyFile) : "");
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static String baseName(String path) {
        int i = path.lastIndexOf('/');
        return i < 0 ? path : path.substring(i + 1);
    }
}
