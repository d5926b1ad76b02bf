package io.kk.config;

import io.kk.catalog.Versions;

/** KubeKey's defaults (v3.0.13 {@code SetDefault*}), in one place. */
public final class ClusterDefaults {
    private ClusterDefaults() {}

    public static final String KUBERNETES_VERSION = "v1.23.10";
    public static final int SSH_PORT = 22;
    public static final String USER = "root";
    public static final String PRIVATE_KEY_PATH = "~/.ssh/id_rsa";
    public static final String ARCH = "amd64";
    public static final long SSH_TIMEOUT = 30;
    public static final String LB_DOMAIN = "lb.kubesphere.local";
    public static final int LB_PORT = 6443;
    public static final String KUBE_VIP_MODE = "ARP";
    public static final String CLUSTER_NAME = "cluster.local";
    public static final String DNS_DOMAIN = "cluster.local";
    public static final int MAX_PODS = 110;
    public static final int POD_PIDS_LIMIT = 10000;
    public static final int NODE_CIDR_MASK_SIZE = 24;
    public static final String PROXY_MODE = "ipvs";
    public static final String NETWORK_PLUGIN = "calico";
    public static final String PODS_CIDR = "10.233.64.0/18";
    public static final String SERVICE_CIDR = "10.233.0.0/18";
    public static final String IPIP_MODE = "Always";
    public static final String VXLAN_MODE = "Never";
    public static final String FLANNEL_BACKEND = "vxlan";
    public static final String OPENEBS_BASE_PATH = "/var/openebs/local";
    public static final String ETCD_DATA_DIR = "/var/lib/etcd";
    public static final int ETCD_PORT = 2379;
    public static final int ETCD_PEER_PORT = 2380;
    public static final String ETCD_BACKUP_DIR = "/var/backups/kube_etcd";
    public static final int ETCD_BACKUP_PERIOD = 1440;
    public static final int ETCD_KEEP_BACKUPS = 5;
    public static final String ETCD_BACKUP_SCRIPT = "/usr/local/bin/kube-scripts";
    public static final int ETCD_HEARTBEAT_INTERVAL = 250;
    public static final int ETCD_ELECTION_TIMEOUT = 5000;
    public static final int ETCD_SNAPSHOT_COUNT = 10000;
    public static final int ETCD_AUTO_COMPACTION_RETENTION = 8;
    public static final String ETCD_METRICS = "basic";
    public static final String CONTAINERD_ENDPOINT = "unix:///run/containerd/containerd.sock";
    public static final String CRIO_ENDPOINT = "unix:///var/run/crio/crio.sock";
    public static final String ISULA_ENDPOINT = "unix:///var/run/isulad.sock";
    public static final String CRI_DOCKERD_ENDPOINT = "unix:///var/run/cri-dockerd.sock";

    /**
     * kk turns certificate auto-renewal ON unless {@code kubernetes.autoRenewCerts: false}
     * (issue 6, seed Q3). KubeKey v3.0 defaults it to false in files and true for all-in-one; kk
     * chooses the safer behaviour everywhere.
     */
    public static final boolean AUTO_RENEW_CERTS = true;

    /** containerd from Kubernetes 1.24 (dockershim removed), docker below, as KubeKey's create config. */
    public static String containerManagerFor(String kubernetesVersion) {
        return Versions.atLeast(kubernetesVersion, 1, 24) ? "containerd" : "docker";
    }

    static String runtimeEndpointFor(String containerManager, String kubernetesVersion) {
        return switch (containerManager) {
            case "containerd" -> CONTAINERD_ENDPOINT;
            case "crio" -> CRIO_ENDPOINT;
            case "isula" -> ISULA_ENDPOINT;
            case "docker" -> Versions.atLeast(kubernetesVersion, 1, 24) ? CRI_DOCKERD_ENDPOINT : "";
            default -> "";
        };
    }
}
