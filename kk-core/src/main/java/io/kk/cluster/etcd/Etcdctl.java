package io.kk.cluster.etcd;

import java.util.List;

/**
 * The one {@code etcdctl} command line kk runs on its etcd hosts: API v3, the binary the etcd phase
 * installs, kk's CA and the host's own admin certificate ({@code admin-HOST.pem}, KubeKey's
 * layout under {@link EtcdCertificates#REMOTE_DIR}), and the endpoints asked.
 */
public final class Etcdctl {
    public static final String BIN = EtcdPlan.BIN + "/etcdctl";

    private Etcdctl() {}

    /**
     * @param host the host the command runs on (its admin certificate is used)
     * @param endpoints the client URLs, e.g. {@code https://10.0.0.1:2379}
     * @return the command line without a subcommand; append e.g. {@code " member list"}
     */
    public static String command(String host, List<String> endpoints) {
        String dir = EtcdCertificates.REMOTE_DIR;
        return "ETCDCTL_API=3 " + BIN + " --endpoints=" + String.join(",", endpoints) + " --cacert=" + dir
                + "/ca.pem --cert=" + dir + "/admin-" + host + ".pem --key=" + dir + "/admin-" + host + "-key.pem";
    }

    /** The same with one endpoint. */
    public static String command(String host, String endpoint) {
        return command(host, List.of(endpoint));
    }

    /** A client URL: {@code https://ADDRESS:PORT}. */
    public static String endpoint(String address, int port) {
        return "https://" + address + ":" + port;
    }
}
