package io.kk.cluster.certs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kk.error.KkException;
import io.kk.pki.CertificateAuthority;
import io.kk.pki.CertificateRequest;
import io.kk.pki.KeyAndCertificate;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CertificateFilesTest {
    static final Instant NOW = Instant.parse("2026-11-24T18:00:00Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    static final CertificateAuthority CA = CertificateAuthority.create("etcd-ca", Duration.ofDays(3650), CLOCK);

    static KeyAndCertificate leaf(String cn, String org, Duration validity) {
        return CA.issue(
                new CertificateRequest(cn, org, List.of("etcd", "node1"), List.of("10.0.0.1"), true, true, validity));
    }

    @Test
    void parsesEachFilesFirstCertificateAndAKubeconfigsEmbeddedOne() {
        String admin = leaf("etcd-admin-node1", "", Duration.ofDays(3650)).certificatePem();
        String client =
                leaf("kubernetes-admin", "system:masters", Duration.ofDays(365)).certificatePem();
        // what the read script prints: a mark per file, then certificate blocks only
        String output = CertificateFiles.FILE_MARK + "/etc/ssl/etcd/ssl/admin-node1.pem\n" + admin
                + CertificateFiles.FILE_MARK + "/etc/ssl/etcd/ssl/ca.pem\n"
                + CA.keyAndCertificate().certificatePem()
                + CertificateFiles.FILE_MARK + "/etc/kubernetes/admin.conf\n" + client + "\n";

        List<CertificateInfo> certs = CertificateFiles.parse("node1", output);

        assertThat(certs)
                .extracting(CertificateInfo::path)
                .containsExactly(
                        "/etc/ssl/etcd/ssl/admin-node1.pem", "/etc/ssl/etcd/ssl/ca.pem", "/etc/kubernetes/admin.conf");
        CertificateInfo a = certs.get(0);
        assertThat(a.host()).isEqualTo("node1");
        assertThat(a.group()).isEqualTo("etcd");
        assertThat(a.subject()).isEqualTo("CN=etcd-admin-node1");
        assertThat(a.issuer()).isEqualTo("CN=etcd-ca");
        assertThat(a.ca()).isFalse();
        assertThat(a.notAfter()).isEqualTo(NOW.plus(Duration.ofDays(3650)));
        assertThat(a.daysLeft(NOW)).isEqualTo(3650);
        assertThat(certs.get(1).ca()).isTrue();
        assertThat(certs.get(2).group()).isEqualTo("kubeconfig");
        assertThat(certs.get(2).subject()).isEqualTo("O=system:masters,CN=kubernetes-admin");
        assertThat(certs.get(2).residual(NOW)).isEqualTo("365d");
    }

    @Test
    void aHostWithNoFilesHasNoCertificates() {
        assertThat(CertificateFiles.parse("node1", "")).isEmpty();
        // a file with no certificate block (the script printed only its mark) is left out
        assertThat(CertificateFiles.parse("node1", CertificateFiles.FILE_MARK + "/etc/kubernetes/pki/x.crt\n"))
                .isEmpty();
    }

    @Test
    void aBrokenCertificateNamesHostAndFile() {
        String output = CertificateFiles.FILE_MARK + "/etc/ssl/registry/ssl/r.pem\n-----BEGIN CERTIFICATE-----\n"
                + Base64.getEncoder().encodeToString("not DER".getBytes(StandardCharsets.US_ASCII))
                + "\n-----END CERTIFICATE-----\n";
        assertThatThrownBy(() -> CertificateFiles.parse("node9", output))
                .isInstanceOf(KkException.class)
                .hasMessageContaining("node9")
                .hasMessageContaining("/etc/ssl/registry/ssl/r.pem");
    }

    @Test
    void theReadScriptSendsNoKeys() {
        String script = CertificateFiles.readScript();
        assertThat(script)
                .contains("*-key.pem|*key.crt) continue")
                .contains("/-----BEGIN CERTIFICATE-----/,/-----END CERTIFICATE-----/p")
                .contains("client-certificate-data")
                .doesNotContain("client-key-data");
    }

    @Test
    void residualTimeReadsAsKubeadms() {
        CertificateInfo c = new CertificateInfo("h", "/p/x.crt", "kubernetes", "CN=x", "CN=ca", "1", NOW, false);
        assertThat(c.residual(NOW.minusSeconds(30))).isEqualTo("30s");
        assertThat(c.residual(NOW.minusSeconds(30 * 60))).isEqualTo("30m");
        assertThat(c.residual(NOW.minus(Duration.ofHours(47)))).isEqualTo("47h");
        assertThat(c.residual(NOW.minus(Duration.ofDays(364)))).isEqualTo("364d");
        assertThat(c.residual(NOW.minus(Duration.ofDays(3650)))).isEqualTo("10y");
        assertThat(c.residual(NOW.plusSeconds(1))).isEqualTo("<invalid>");
        assertThat(c.daysLeft(NOW.plus(Duration.ofHours(12)))).isEqualTo(-1);
    }

    @Test
    void theTableListsLeavesThenCas() {
        CertificateInfo leaf = new CertificateInfo(
                "node2",
                "/etc/ssl/etcd/ssl/member-node2.pem",
                "etcd",
                "CN=etcd-member-node2",
                "CN=etcd-ca",
                "ab",
                NOW.plus(Duration.ofDays(3650)),
                false);
        CertificateInfo ca = new CertificateInfo(
                "node2",
                "/etc/ssl/etcd/ssl/ca.pem",
                "etcd",
                "CN=etcd-ca",
                "CN=etcd-ca",
                "1",
                NOW.plus(Duration.ofDays(3651)),
                true);
        String table = ExpirationTable.render(List.of(ca, leaf), NOW);
        List<String> lines = table.lines().toList();
        assertThat(lines.get(0))
                .startsWith("HOST")
                .contains("EXPIRES")
                .contains("RESIDUAL TIME")
                .endsWith("CERTIFICATE AUTHORITY");
        assertThat(lines.get(1))
                .startsWith("node2")
                .contains("/etc/ssl/etcd/ssl/member-node2.pem")
                .contains("Nov 21, 2036 18:00 UTC")
                .contains("10y")
                .contains("3650")
                .endsWith("CN=etcd-ca");
        assertThat(lines.get(2)).isEmpty();
        assertThat(lines.get(3)).startsWith("HOST").contains("CERTIFICATE AUTHORITY");
        assertThat(lines.get(4)).contains("/etc/ssl/etcd/ssl/ca.pem").contains("3651");
        assertThat(ExpirationTable.rows(List.of(ca, leaf), NOW))
                .extracting(ExpirationTable.Row::certificate)
                .containsExactly("member-node2.pem", "ca.pem");
        assertThat(ExpirationTable.render(List.of(), NOW)).isEqualTo("no certificates found on the hosts\n");
    }

    @Test
    void kubeletsClientCertificateIsReadWithoutItsKeyAndEndsWhenOpensslSays(@TempDir Path pki) throws Exception {
        // kubelet keeps certificate and key in one file, kubelet-client-current.pem links to it
        KeyAndCertificate kc = leaf("system:node:node1", "system:nodes", Duration.ofDays(365));
        Path dated = pki.resolve("kubelet-client-2026-11-24-18-00-00.pem");
        Files.writeString(dated, kc.certificatePem() + kc.keyPem());
        Files.createSymbolicLink(pki.resolve("kubelet-client-current.pem"), dated.getFileName());
        String script = CertificateFiles.readScript().replace("/var/lib/kubelet/pki/", pki + "/");

        Process p = new ProcessBuilder("bash", "-c", script).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8)
                .replace(pki + "/", "/var/lib/kubelet/pki/");
        assertThat(p.waitFor()).isZero();

        assertThat(kc.keyPem()).contains("PRIVATE KEY");
        assertThat(out).doesNotContain("PRIVATE KEY");
        CertificateInfo kubelet = CertificateFiles.parse("node1", out).stream()
                .filter(c -> c.group().equals("kubelet"))
                .collect(java.util.stream.Collectors.toList())
                .get(0);
        assertThat(kubelet.path()).isEqualTo("/var/lib/kubelet/pki/kubelet-client-current.pem");
        assertThat(kubelet.subject()).isEqualTo("O=system:nodes,CN=system:node:node1");
        assertThat(kubelet.ca()).isFalse();
        Process openssl = new ProcessBuilder(
                        "openssl",
                        "x509",
                        "-enddate",
                        "-noout",
                        "-in",
                        pki.resolve("kubelet-client-current.pem").toString())
                .start();
        String end = new String(openssl.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip();
        assertThat(openssl.waitFor()).isZero();
        assertThat(end)
                .isEqualTo("notAfter="
                        + java.time.format.DateTimeFormatter.ofPattern(
                                        "MMM ppd HH:mm:ss yyyy 'GMT'", java.util.Locale.ENGLISH)
                                .withZone(ZoneOffset.UTC)
                                .format(kubelet.notAfter()));
    }
}
