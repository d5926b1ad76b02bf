package io.kk.cluster.etcd;

import static org.assertj.core.api.Assertions.assertThat;

import io.kk.cluster.etcd.EtcdCertificates.CertHost;
import io.kk.pki.CertificateAuthority;
import io.kk.pki.KeyAndCertificate;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EtcdCertificatesTest {
    private final List<CertHost> hosts = List.of(
            new CertHost("node1", "10.0.0.11", true, true),
            new CertHost("node2", "10.0.0.12", true, false),
            new CertHost("node3.example.com", "10.0.0.13", false, true),
            new CertHost("worker1", "10.0.0.21", false, false));

    @Test
    void kubeKeysFileNamesSubjectsAndSans() throws Exception {
        CertificateAuthority ca =
                CertificateAuthority.create("etcd-ca", CertificateAuthority.TEN_YEARS, Clock.systemUTC());
        Map<String, KeyAndCertificate> certs = EtcdCertificates.issue(ca, hosts, "lb.example.local");

        assertThat(certs.keySet())
                .containsExactly(
                        "admin-node1",
                        "member-node1",
                        "node-node1",
                        "admin-node2",
                        "member-node2",
                        "node-node3.example.com");
        X509Certificate member = certs.get("member-node1").certificate();
        assertThat(member.getSubjectX500Principal().getName()).isEqualTo("CN=etcd-member-node1");
        assertThat(certs.get("node-node3.example.com")
                        .certificate()
                        .getSubjectX500Principal()
                        .getName())
                .isEqualTo("CN=etcd-node-node3");
        assertThat(member.getSubjectAlternativeNames())
                .extracting(l -> l.get(1).toString())
                .contains(
                        "localhost",
                        "etcd.kube-system.svc.cluster.local",
                        "lb.example.local",
                        "node1",
                        "worker1",
                        "127.0.0.1",
                        "10.0.0.11",
                        "10.0.0.21");
        assertThat(member.getExtendedKeyUsage()).containsExactlyInAnyOrder("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2");
        member.verify(ca.certificate().getPublicKey());
    }

    @Test
    void eachHostGetsOnlyItsFiles() {
        assertThat(EtcdCertificates.filesFor(hosts.get(1)))
                .containsExactly(
                        "ca.pem",
                        "ca-key.pem",
                        "admin-node2.pem",
                        "admin-node2-key.pem",
                        "member-node2.pem",
                        "member-node2-key.pem");
        assertThat(EtcdCertificates.filesFor(hosts.get(2)))
                .containsExactly(
                        "ca.pem", "ca-key.pem", "node-node3.example.com.pem", "node-node3.example.com-key.pem");
    }
}
