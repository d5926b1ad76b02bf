package io.kk.cluster.etcd;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class EtcdctlTest {
    @Test
    void theCommandUsesApiV3KksCaAndTheHostsOwnAdminCertificate() {
        assertThat(Etcdctl.command("node1", List.of("https://10.0.0.1:2379", "https://10.0.0.2:2379")))
                .isEqualTo("ETCDCTL_API=3 /usr/local/bin/etcdctl"
                        + " --endpoints=https://10.0.0.1:2379,https://10.0.0.2:2379"
                        + " --cacert=/etc/ssl/etcd/ssl/ca.pem --cert=/etc/ssl/etcd/ssl/admin-node1.pem"
                        + " --key=/etc/ssl/etcd/ssl/admin-node1-key.pem");
        assertThat(Etcdctl.command("node2", Etcdctl.endpoint("10.0.0.2", 2479)))
                .isEqualTo("ETCDCTL_API=3 /usr/local/bin/etcdctl --endpoints=https://10.0.0.2:2479"
                        + " --cacert=/etc/ssl/etcd/ssl/ca.pem --cert=/etc/ssl/etcd/ssl/admin-node2.pem"
                        + " --key=/etc/ssl/etcd/ssl/admin-node2-key.pem");
    }
}
