package io.kk.config;

import java.util.List;

/**
 * etcd: who runs it and how it is tuned. Nullable tuning fields are "not set" (etcd's own default).
 *
 * @param backupPeriod minutes between backups
 */
public record EtcdConfig(
        Type type,
        External external,
        int port,
        int peerPort,
        List<String> extraArgs,
        String dataDir,
        String backupDir,
        int backupPeriod,
        int keepBackupNumber,
        String backupScript,
        int heartbeatInterval,
        int electionTimeout,
        int snapshotCount,
        int autoCompactionRetention,
        String metrics,
        Long quotaBackendBytes,
        Long maxRequestBytes,
        Integer maxSnapshots,
        Integer maxWals,
        String logLevel) {

    public EtcdConfig {
        extraArgs = List.copyOf(extraArgs);
    }

    /** kubekey: binaries + systemd on etcd hosts; kubeadm: stacked static pods; external: yours. */
    public enum Type {
        KUBEKEY("kubekey"),
        KUBEADM("kubeadm"),
        EXTERNAL("external");

        private final String yamlName;

        Type(String yamlName) {
            this.yamlName = yamlName;
        }

        public String yamlName() {
            return yamlName;
        }

        static Type parse(String s) {
            for (Type t : values()) {
                if (t.yamlName.equals(s)) {
                    return t;
                }
            }
            return null;
        }
    }

    /** An etcd cluster kk does not manage. */
    public record External(List<String> endpoints, String caFile, String certFile, String keyFile) {
        public External {
            endpoints = List.copyOf(endpoints);
        }
    }
}
