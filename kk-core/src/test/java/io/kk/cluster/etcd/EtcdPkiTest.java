package io.kk.cluster.etcd;

import static org.assertj.core.api.Assertions.assertThat;

import io.kk.pki.CertificateAuthority;
import io.kk.pki.Pem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EtcdPkiTest {
    @TempDir
    Path dir;

    static final List<EtcdCertificates.CertHost> HOSTS = List.of(
            new EtcdCertificates.CertHost("node1", "10.0.0.1", true, true),
            new EtcdCertificates.CertHost("node2", "10.0.0.2", true, false),
            new EtcdCertificates.CertHost("node3", "10.0.0.3", false, true));

    EtcdPki pki(List<EtcdCertificates.CertHost> hosts) {
        return new EtcdPki(dir.resolve("pki/etcd"), hosts, "lb.kubesphere.local", Clock.systemUTC());
    }

    @Test
    void aSecondRunReusesEveryFileByteForByte() throws Exception {
        var first = pki(HOSTS).all();
        var second = pki(HOSTS).all();
        assertThat(second).isEqualTo(first);
        assertThat(first)
                .containsKeys("ca.pem", "member-node1.pem", "admin-node2-key.pem", "node-node3.pem")
                .doesNotContainKeys("member-node3.pem", "node-node2.pem");
        assertThat(PosixFilePermissions.toString(
                        Files.getPosixFilePermissions(dir.resolve("pki/etcd/member-node1-key.pem"))))
                .isEqualTo("rw-------");
    }

    @Test
    void aKillBetweenAReissuedCertificateAndItsKeyIsRepairedByTheNextRun() throws Exception {
        var first = pki(HOSTS).all();
        // what the kill left: node1's member certificate reissued (another key), its old key beside
        Path other = dir.resolve("other");
        var reissued = new EtcdPki(other.resolve("pki/etcd"), HOSTS, "lb.kubesphere.local", Clock.systemUTC());
        Files.createDirectories(other.resolve("pki/etcd"));
        for (String f : List.of("ca.pem", "ca-key.pem")) {
            Files.copy(dir.resolve("pki/etcd/" + f), other.resolve("pki/etcd/" + f));
        }
        String newCert = reissued.file("member-node1.pem");
        assertThat(newCert).isNotEqualTo(first.get("member-node1.pem"));
        Files.writeString(dir.resolve("pki/etcd/member-node1.pem"), newCert);

        var again = pki(HOSTS).all();
        X509Certificate cert =
                Pem.certificates(again.get("member-node1.pem"), "test").get(0);
        var key = Pem.privateKey(again.get("member-node1-key.pem"), "test");
        java.security.Signature s = java.security.Signature.getInstance(
                key.getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA");
        s.initSign(key);
        s.update(new byte[] {1});
        byte[] sig = s.sign();
        s.initVerify(cert.getPublicKey());
        s.update(new byte[] {1});
        assertThat(s.verify(sig))
                .as("the certificate and key in the work dir are a pair")
                .isTrue();
        assertThat(again.get("member-node2.pem")).as("other pairs kept").isEqualTo(first.get("member-node2.pem"));
    }

    @Test
    void aNewHostGetsCertificatesWithItsAddressFromTheSameCa() throws Exception {
        var before = pki(HOSTS).all();
        List<EtcdCertificates.CertHost> more = new java.util.ArrayList<>(HOSTS);
        more.add(new EtcdCertificates.CertHost("node4", "10.0.0.4", true, false));
        var after = pki(more).all();
        assertThat(after.get("ca.pem")).isEqualTo(before.get("ca.pem"));
        X509Certificate member4 =
                Pem.certificates(after.get("member-node4.pem"), "t").get(0);
        assertThat(member4.getSubjectAlternativeNames().toString()).contains("10.0.0.4");
        // the old leaves lacked the new address, so they were reissued
        X509Certificate member1 =
                Pem.certificates(after.get("member-node1.pem"), "t").get(0);
        assertThat(member1.getSubjectAlternativeNames().toString()).contains("10.0.0.4");
    }

    @Test
    void theClustersCaWinsOverTheWorkDirs() {
        var local = pki(HOSTS).all();
        CertificateAuthority remote =
                CertificateAuthority.create("etcd-ca", CertificateAuthority.TEN_YEARS, Clock.systemUTC());
        EtcdPki p = pki(HOSTS);
        p.adoptCa(
                remote.keyAndCertificate().certificatePem(),
                remote.keyAndCertificate().keyPem(),
                "node1");
        var adopted = p.all();
        assertThat(adopted.get("ca.pem")).isEqualTo(remote.keyAndCertificate().certificatePem());
        assertThat(adopted.get("member-node1.pem")).isNotEqualTo(local.get("member-node1.pem"));
        // and it is kept in the work dir for the next run
        assertThat(pki(HOSTS).all()).isEqualTo(adopted);
    }

    @Test
    void aCrashBetweenTheCaCertificateAndItsKeyIsRepairedByTheNextAdoption() throws Exception {
        var local = pki(HOSTS).all();
        CertificateAuthority remote =
                CertificateAuthority.create("etcd-ca", CertificateAuthority.TEN_YEARS, Clock.systemUTC());
        // the state a kill between the two writes leaves: the cluster's certificate, the old key
        Files.writeString(
                dir.resolve("pki/etcd/ca.pem"), remote.keyAndCertificate().certificatePem());
        assertThat(Files.readString(dir.resolve("pki/etcd/ca-key.pem"))).isEqualTo(local.get("ca-key.pem"));

        pki(HOSTS)
                .adoptCa(
                        remote.keyAndCertificate().certificatePem(),
                        remote.keyAndCertificate().keyPem(),
                        "node1");
        assertThat(Files.readString(dir.resolve("pki/etcd/ca-key.pem")))
                .isEqualTo(remote.keyAndCertificate().keyPem());
        // a later run that adopts nothing reads a matching pair: its leaves verify against the CA
        var next = pki(HOSTS).all();
        X509Certificate member =
                Pem.certificates(next.get("member-node1.pem"), "t").get(0);
        member.verify(remote.certificate().getPublicKey());
    }
}
