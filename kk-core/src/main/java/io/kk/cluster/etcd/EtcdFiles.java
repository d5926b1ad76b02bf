package io.kk.cluster.etcd;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The files an etcd member of type {@code kubekey} runs from, in KubeKey's layout: {@code
 * /etc/etcd.env}, {@code /etc/systemd/system/etcd.service}, and the backup script, service and
 * timer. Generated from typed settings so a golden test pins every byte.
 */
public final class EtcdFiles {
    public static final String ENV_PATH = "/etc/etcd.env";
    public static final String UNIT_PATH = "/etc/systemd/system/etcd.service";
    public static final String BACKUP_UNIT_PATH = "/etc/systemd/system/backup-etcd.service";
    public static final String BACKUP_TIMER_PATH = "/etc/systemd/system/backup-etcd.timer";

    private EtcdFiles() {}

    /**
     * One member's settings.
     *
     * @param name the config's host name (certificate files are named after it)
     * @param address the member's internal address
     * @param members every member: host name -> internal address, in config order
     * @param existingCluster true when joining a cluster that already runs ("existing" state)
     */
    public record Member(
            String name, String address, Map<String, String> members, boolean existingCluster, EtcdSettings settings) {}

    /** The tunables of the Cluster config's {@code spec.etcd}, with KubeKey's defaults. */
    public record EtcdSettings(
            int port,
            int peerPort,
            String dataDir,
            int heartbeatInterval,
            int electionTimeout,
            int snapshotCount,
            int autoCompactionRetention,
            String metrics,
            long quotaBackendBytes,
            long maxRequestBytes,
            int maxSnapshots,
            int maxWals,
            String logLevel,
            List<String> extraArgs,
            String backupDir,
            int backupPeriodMinutes,
            int keepBackupNumber,
            String backupScriptDir) {

        public static EtcdSettings defaults() {
            return new EtcdSettings(
                    2379,
                    2380,
                    "/var/lib/etcd",
                    250,
                    5000,
                    10000,
                    8,
                    "basic",
                    0,
                    0,
                    0,
                    0,
                    "",
                    List.of(),
                    "/var/backups/kube_etcd",
                    1440,
                    5,
                    "/usr/local/bin/kube-scripts");
        }
    }

    /** The member name etcd knows (KubeKey prefixes the host name). */
    public static String memberName(String hostName) {
        return "etcd-" + hostName;
    }

    public static String initialCluster(Member m) {
        return m.members().entrySet().stream()
                .map(e -> memberName(e.getKey()) + "=https://" + e.getValue() + ":"
                        + m.settings().peerPort())
                .collect(Collectors.joining(","));
    }

    /** Comma-separated client URLs of all members, for etcdctl and kube-apiserver. */
    public static String clientEndpoints(Map<String, String> members, int port) {
        return members.values().stream().map(a -> "https://" + a + ":" + port).collect(Collectors.joining(","));
    }

    public static String env(Member m) {
        EtcdSettings s = m.settings();
        StringBuilder b = new StringBuilder();
        b.append("# Environment file for etcd, written by kk\n");
        b.append("ETCD_DATA_DIR=").append(s.dataDir()).append('\n');
        b.append("ETCD_ADVERTISE_CLIENT_URLS=https://")
                .append(m.address())
                .append(':')
                .append(s.port())
                .append('\n');
        b.append("ETCD_INITIAL_ADVERTISE_PEER_URLS=https://")
                .append(m.address())
                .append(':')
                .append(s.peerPort())
                .append('\n');
        b.append("ETCD_INITIAL_CLUSTER_STATE=")
                .append(m.existingCluster() ? "existing" : "new")
                .append('\n');
        b.append("ETCD_METRICS=").append(s.metrics()).append('\n');
        b.append("ETCD_LISTEN_CLIENT_URLS=https://")
                .append(m.address())
                .append(':')
                .append(s.port())
                .append(",https://127.0.0.1:")
                .append(s.port())
                .append('\n');
        b.append("ETCD_INITIAL_CLUSTER_TOKEN=k8s_etcd\n");
        b.append("ETCD_LISTEN_PEER_URLS=https://")
                .append(m.address())
                .append(':')
                .append(s.peerPort())
                .append('\n');
        b.append("ETCD_NAME=").append(memberName(m.name())).append('\n');
        b.append("ETCD_PROXY=off\n");
        b.append("ETCD_ENABLE_V2=true\n");
        b.append("ETCD_INITIAL_CLUSTER=").append(initialCluster(m)).append('\n');
        b.append("ETCD_ELECTION_TIMEOUT=").append(s.electionTimeout()).append('\n');
        b.append("ETCD_HEARTBEAT_INTERVAL=").append(s.heartbeatInterval()).append('\n');
        b.append("ETCD_AUTO_COMPACTION_RETENTION=")
                .append(s.autoCompactionRetention())
                .append('\n');
        b.append("ETCD_SNAPSHOT_COUNT=").append(s.snapshotCount()).append('\n');
        optional(b, "ETCD_QUOTA_BACKEND_BYTES", s.quotaBackendBytes());
        optional(b, "ETCD_MAX_REQUEST_BYTES", s.maxRequestBytes());
        optional(b, "ETCD_MAX_SNAPSHOTS", s.maxSnapshots());
        optional(b, "ETCD_MAX_WALS", s.maxWals());
        if (!s.logLevel().isEmpty()) {
            b.append("ETCD_LOG_LEVEL=").append(s.logLevel()).append('\n');
        }
        for (String arg : s.extraArgs()) {
            // extraArgs are "key=value" like KubeKey's; etcd reads every flag from ETCD_<FLAG>
            String[] kv = arg.replaceFirst("^--", "").split("=", 2);
            b.append("ETCD_")
                    .append(kv[0].toUpperCase(java.util.Locale.ROOT).replace('-', '_'))
                    .append('=')
                    .append(kv.length > 1 ? kv[1] : "true")
                    .append('\n');
        }
        String dir = EtcdCertificates.REMOTE_DIR;
        b.append("\n# TLS settings\n");
        b.append("ETCD_TRUSTED_CA_FILE=").append(dir).append("/ca.pem\n");
        b.append("ETCD_CERT_FILE=")
                .append(dir)
                .append("/member-")
                .append(m.name())
                .append(".pem\n");
        b.append("ETCD_KEY_FILE=")
                .append(dir)
                .append("/member-")
                .append(m.name())
                .append("-key.pem\n");
        b.append("ETCD_CLIENT_CERT_AUTH=true\n\n");
        b.append("ETCD_PEER_TRUSTED_CA_FILE=").append(dir).append("/ca.pem\n");
        b.append("ETCD_PEER_CERT_FILE=")
                .append(dir)
                .append("/member-")
                .append(m.name())
                .append(".pem\n");
        b.append("ETCD_PEER_KEY_FILE=")
                .append(dir)
                .append("/member-")
                .append(m.name())
                .append("-key.pem\n");
        b.append("ETCD_PEER_CLIENT_CERT_AUTH=true\n\n");
        b.append("# CLI settings\n");
        b.append("ETCDCTL_ENDPOINTS=https://127.0.0.1:").append(s.port()).append('\n');
        b.append("ETCDCTL_CACERT=").append(dir).append("/ca.pem\n");
        b.append("ETCDCTL_KEY=").append(dir).append("/admin-").append(m.name()).append("-key.pem\n");
        b.append("ETCDCTL_CERT=").append(dir).append("/admin-").append(m.name()).append(".pem\n");
        return b.toString();
    }

    public static String unit() {
        return """
                [Unit]
                Description=etcd
                After=network.target

                [Service]
                User=root
                Type=notify
                EnvironmentFile=/etc/etcd.env
                ExecStart=/usr/local/bin/etcd
                NotifyAccess=all
                RestartSec=10s
                LimitNOFILE=40000
                Restart=always

                [Install]
                WantedBy=multi-user.target
                """;
    }

    public static String backupScriptPath(EtcdSettings s) {
        return s.backupScriptDir() + "/etcd-backup.sh";
    }

    /**
     * The backup script: a v3 snapshot into {@code <backupDir>/etcd-<date>}, keeping the newest N.
     * KubeKey also runs a v2 {@code etcdctl backup}, which etcd 3.5 no longer has; a v3 snapshot is
     * what a Kubernetes restore needs.
     */
    public static String backupScript(Member m) {
        EtcdSettings s = m.settings();
        String dir = EtcdCertificates.REMOTE_DIR;
        return """
                #!/bin/bash
                # etcd backup, written by kk: a v3 snapshot, the newest %4$d kept.
                set -o pipefail
                ETCDCTL_PATH='/usr/local/bin/etcdctl'
                ENDPOINTS='https://%1$s:%2$d'
                BACKUP_DIR="%3$s/etcd-$(date +%%Y-%%m-%%d-%%H-%%M-%%S)"
                KEEPBACKUPNUMBER='%4$d'

                ETCDCTL_CERT="%5$s/admin-%6$s.pem"
                ETCDCTL_KEY="%5$s/admin-%6$s-key.pem"
                ETCDCTL_CA_FILE="%5$s/ca.pem"

                mkdir -p "$BACKUP_DIR"
                ETCDCTL_API=3 "$ETCDCTL_PATH" --endpoints="$ENDPOINTS" \\
                    --cacert="$ETCDCTL_CA_FILE" --cert="$ETCDCTL_CERT" --key="$ETCDCTL_KEY" \\
                    snapshot save "$BACKUP_DIR/snapshot.db" > /dev/null || { rm -rf "$BACKUP_DIR"; exit 1; }

                cd "%3$s" && ls -1dt etcd-* 2>/dev/null | tail -n +$((KEEPBACKUPNUMBER + 1)) | xargs -r rm -rf
                """
                .formatted(m.address(), s.port(), s.backupDir(), s.keepBackupNumber(), dir, m.name());
    }

    public static String backupUnit(EtcdSettings s) {
        return """
                [Unit]
                Description=Backup ETCD
                [Service]
                Type=oneshot
                ExecStart=%s
                """
                .formatted(backupScriptPath(s));
    }

    public static String backupTimer(EtcdSettings s) {
        return """
                [Unit]
                Description=Timer to backup ETCD
                [Timer]
                OnCalendar=%s
                Unit=backup-etcd.service
                [Install]
                WantedBy=multi-user.target
                """
                .formatted(onCalendar(s.backupPeriodMinutes()));
    }

    /** KubeKey's mapping of a backup period in minutes to a systemd calendar expression. */
    static String onCalendar(int period) {
        if (period <= 0) {
            return "*-*-* *:00/30:00";
        }
        if (period < 60) {
            return "*-*-* *:00/" + period + ":00";
        }
        if (period < 1440) {
            int h = period / 60;
            int min = period % 60;
            return min == 0 ? "*-*-* 00/" + h + ":00:00" : "*-*-* 00/" + h + ":" + min + ":00";
        }
        return "*-*-* 00:00:00";
    }

    private static void optional(StringBuilder b, String key, long value) {
        if (value > 0) {
            b.append(key).append('=').append(value).append('\n');
        }
    }
}
