package io.kk.cluster.etcd;

import static org.assertj.core.api.Assertions.assertThat;

import io.kk.cluster.etcd.EtcdFiles.EtcdSettings;
import io.kk.cluster.etcd.EtcdFiles.Member;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EtcdFilesTest {
    private static Map<String, String> members() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("node1", "10.0.0.11");
        m.put("node2", "10.0.0.12");
        m.put("node3", "10.0.0.13");
        return m;
    }

    @Test
    void envMatchesKubeKeysLayoutForAThreeMemberCluster() {
        Member m = new Member("node2", "10.0.0.12", members(), false, EtcdSettings.defaults());
        assertThat(EtcdFiles.env(m))
                .isEqualTo(
                        """
                        # Environment file for etcd, written by kk
                        ETCD_DATA_DIR=/var/lib/etcd
                        ETCD_ADVERTISE_CLIENT_URLS=https://10.0.0.12:2379
                        ETCD_INITIAL_ADVERTISE_PEER_URLS=https://10.0.0.12:2380
                        ETCD_INITIAL_CLUSTER_STATE=new
                        ETCD_METRICS=basic
                        ETCD_LISTEN_CLIENT_URLS=https://10.0.0.12:2379,https://127.0.0.1:2379
                        ETCD_INITIAL_CLUSTER_TOKEN=k8s_etcd
                        ETCD_LISTEN_PEER_URLS=https://10.0.0.12:2380
                        ETCD_NAME=etcd-node2
                        ETCD_PROXY=off
                        ETCD_ENABLE_V2=true
                        ETCD_INITIAL_CLUSTER=etcd-node1=https://10.0.0.11:2380,etcd-node2=https://10.0.0.12:2380,etcd-node3=https://10.0.0.13:2380
                        ETCD_ELECTION_TIMEOUT=5000
                        ETCD_HEARTBEAT_INTERVAL=250
                        ETCD_AUTO_COMPACTION_RETENTION=8
                        ETCD_SNAPSHOT_COUNT=10000

                        # TLS settings
                        ETCD_TRUSTED_CA_FILE=/etc/ssl/etcd/ssl/ca.pem
                        ETCD_CERT_FILE=/etc/ssl/etcd/ssl/member-node2.pem
                        ETCD_KEY_FILE=/etc/ssl/etcd/ssl/member-node2-key.pem
                        ETCD_CLIENT_CERT_AUTH=true

                        ETCD_PEER_TRUSTED_CA_FILE=/etc/ssl/etcd/ssl/ca.pem
                        ETCD_PEER_CERT_FILE=/etc/ssl/etcd/ssl/member-node2.pem
                        ETCD_PEER_KEY_FILE=/etc/ssl/etcd/ssl/member-node2-key.pem
                        ETCD_PEER_CLIENT_CERT_AUTH=true

                        # CLI settings
                        ETCDCTL_ENDPOINTS=https://127.0.0.1:2379
                        ETCDCTL_CACERT=/etc/ssl/etcd/ssl/ca.pem
                        ETCDCTL_KEY=/etc/ssl/etcd/ssl/admin-node2-key.pem
                        ETCDCTL_CERT=/etc/ssl/etcd/ssl/admin-node2.pem
                        """);
    }

    @Test
    void tuningAndExtraArgsAndExistingState() {
        EtcdSettings s = new EtcdSettings(
                12379,
                12380,
                "/data/etcd",
                100,
                1000,
                5000,
                1,
                "extensive",
                8589934592L,
                10485760,
                5,
                5,
                "warn",
                List.of("--experimental-initial-corrupt-check=true"),
                "/bk",
                60,
                3,
                "/opt/scripts");
        String env = EtcdFiles.env(new Member("node1", "10.0.0.11", members(), true, s));
        assertThat(env)
                .contains("ETCD_DATA_DIR=/data/etcd\n")
                .contains("ETCD_INITIAL_CLUSTER_STATE=existing\n")
                .contains("ETCD_QUOTA_BACKEND_BYTES=8589934592\n")
                .contains("ETCD_LOG_LEVEL=warn\n")
                .contains("ETCD_EXPERIMENTAL_INITIAL_CORRUPT_CHECK=true\n")
                .contains("etcd-node3=https://10.0.0.13:12380")
                .contains("ETCDCTL_ENDPOINTS=https://127.0.0.1:12379");
        assertThat(EtcdFiles.backupUnit(s)).contains("ExecStart=/opt/scripts/etcd-backup.sh");
        assertThat(EtcdFiles.backupTimer(s)).contains("OnCalendar=*-*-* 00/1:00:00");
    }

    @Test
    void backupPeriodMapsToKubeKeysCalendar() {
        assertThat(EtcdFiles.onCalendar(0)).isEqualTo("*-*-* *:00/30:00");
        assertThat(EtcdFiles.onCalendar(15)).isEqualTo("*-*-* *:00/15:00");
        assertThat(EtcdFiles.onCalendar(90)).isEqualTo("*-*-* 00/1:30:00");
        assertThat(EtcdFiles.onCalendar(120)).isEqualTo("*-*-* 00/2:00:00");
        assertThat(EtcdFiles.onCalendar(1440)).isEqualTo("*-*-* 00:00:00");
    }

    @Test
    void backupScriptIsValidBashWithTheMembersAdminCert() throws Exception {
        Member m = new Member("node1", "10.0.0.11", members(), false, EtcdSettings.defaults());
        String script = EtcdFiles.backupScript(m);
        assertThat(script)
                .contains("ENDPOINTS='https://10.0.0.11:2379'")
                .contains("BACKUP_DIR=\"/var/backups/kube_etcd/etcd-$(date +%Y-%m-%d-%H-%M-%S)\"")
                .contains("/etc/ssl/etcd/ssl/admin-node1-key.pem");
        Process p = new ProcessBuilder("bash", "-n").redirectErrorStream(true).start();
        p.getOutputStream().write(script.getBytes());
        p.getOutputStream().close();
        assertThat(new String(p.getInputStream().readAllBytes())).isEmpty();
        assertThat(p.waitFor()).isZero();
    }
}
