package io.kk.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kk.error.KkException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CertificateAuthorityTest {
    private final Clock clock = Clock.systemUTC();

    @Test
    void issuedCertificateVerifiesWithOpensslAndCarriesSansAndUsages(@TempDir Path dir) throws Exception {
        CertificateAuthority ca = CertificateAuthority.create("etcd-ca", CertificateAuthority.TEN_YEARS, clock);
        KeyAndCertificate member = ca.issue(new CertificateRequest(
                "etcd-member-node1",
                "",
                List.of("localhost", "etcd", "node1"),
                List.of("127.0.0.1", "::1", "10.250.0.11"),
                true,
                true,
                CertificateAuthority.TEN_YEARS));
        Files.writeString(dir.resolve("ca.pem"), ca.keyAndCertificate().certificatePem());
        Files.writeString(dir.resolve("member.pem"), member.certificatePem());
        Files.writeString(dir.resolve("member-key.pem"), member.keyPem());

        String verify = run(dir, "openssl", "verify", "-CAfile", "ca.pem", "member.pem");
        assertThat(verify).contains("member.pem: OK");
        String text = run(dir, "openssl", "x509", "-in", "member.pem", "-noout", "-text");
        assertThat(text)
                .contains("DNS:localhost", "DNS:etcd", "DNS:node1")
                .contains("IP Address:127.0.0.1", "IP Address:10.250.0.11", "IP Address:0:0:0:0:0:0:0:1")
                .contains("TLS Web Server Authentication", "TLS Web Client Authentication")
                .contains("Subject: CN = etcd-member-node1");
        // the key is PKCS#1 like KubeKey's and matches the certificate
        assertThat(Files.readString(dir.resolve("member-key.pem"))).startsWith("-----BEGIN RSA PRIVATE KEY-----");
        String certModulus = run(dir, "openssl", "x509", "-in", "member.pem", "-noout", "-modulus");
        String keyModulus = run(dir, "openssl", "rsa", "-in", "member-key.pem", "-noout", "-modulus");
        assertThat(keyModulus).isEqualTo(certModulus);
    }

    @Test
    void caReadBackFromPemSignsMoreLeaves() {
        CertificateAuthority ca = CertificateAuthority.create("registry-ca", Duration.ofDays(30), clock);
        String certPem = ca.keyAndCertificate().certificatePem();
        String keyPem = ca.keyAndCertificate().keyPem();

        X509Certificate readCert = Pem.certificates(certPem, "ca.pem").get(0);
        CertificateAuthority again =
                CertificateAuthority.of(new KeyAndCertificate(Pem.privateKey(keyPem, "ca-key.pem"), readCert), clock);
        KeyAndCertificate leaf = again.issue(new CertificateRequest(
                "registry", "", List.of("dockerhub.kubekey.local"), List.of(), true, false, Duration.ofDays(10)));

        assertThat(leaf.certificate().getIssuerX500Principal()).isEqualTo(readCert.getSubjectX500Principal());
        assertThat(leaf.toString()).doesNotContain("PRIVATE");
    }

    @Test
    void leafIsRefusedAsCaAndBadIpIsRefused() {
        CertificateAuthority ca = CertificateAuthority.create("ca", Duration.ofDays(1), clock);
        KeyAndCertificate leaf =
                ca.issue(new CertificateRequest("leaf", "", List.of(), List.of(), false, true, Duration.ofDays(1)));
        assertThatThrownBy(() -> CertificateAuthority.of(leaf, clock))
                .isInstanceOf(KkException.class)
                .hasMessageContaining("is not a CA");
        assertThatThrownBy(() -> ca.issue(new CertificateRequest(
                        "x", "", List.of(), List.of("node1.example"), true, false, Duration.ofDays(1))))
                .isInstanceOf(KkException.class)
                .hasMessageContaining("'node1.example' is not an IP address");
    }

    @Test
    void garbageIsAClearError() {
        assertThatThrownBy(() -> Pem.certificates("hello", "/etc/ssl/etcd/ssl/ca.pem"))
                .isInstanceOf(KkException.class)
                .hasMessageContaining("/etc/ssl/etcd/ssl/ca.pem");
    }

    private static String run(Path dir, String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(String.join(" ", cmd) + ": " + out).isZero();
        return out;
    }
}
