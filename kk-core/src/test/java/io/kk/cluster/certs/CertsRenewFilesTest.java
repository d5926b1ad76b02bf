package io.kk.cluster.certs;

import static org.assertj.core.api.Assertions.assertThat;

import io.kk.pki.CertificateAuthority;
import io.kk.pki.CertificateRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the real script with bash and openssl against certificates made for the test. */
class CertsRenewFilesTest {

    record Run(int exit, String output) {}

    @Test
    void noControlPlaneYetIsSuccess(@TempDir Path dir) throws Exception {
        Run r = run(dir, dir.resolve("pki"), "/nonexistent/kubeadm");
        assertThat(r.exit()).isZero();
        assertThat(r.output()).contains("nothing to renew");
    }

    @Test
    void farExpiryLeavesKubeadmAlone(@TempDir Path dir) throws Exception {
        Path pki = pkiWith(dir, Duration.ofDays(300));
        // /bin/false as kubeadm: were it called, the script would fail
        Run r = run(dir, pki, "/bin/false");
        assertThat(r.exit()).as(r.output()).isZero();
        // a day boundary may fall between making the certificate and running the script
        assertThat(r.output())
                .containsPattern("apiserver.crt, (299|300) days left")
                .contains("## nothing to renew ##");
    }

    @Test
    void nearExpiryAsksKubeadmToRenew(@TempDir Path dir) throws Exception {
        Path pki = pkiWith(dir, Duration.ofDays(10));
        Run r = run(dir, pki, "/bin/false");
        assertThat(r.output())
                .containsPattern(", (9|10) days left")
                .contains("## Renewing certificates managed by kubeadm ##");
        assertThat(r.exit()).isEqualTo(1);
    }

    @Test
    void alphaCommandBelowKubeadm120AndDockerRestart() {
        assertThat(CertsRenewFiles.script(true, true))
                .contains("\"$KUBEADM\" alpha certs renew all")
                .contains("docker rm -f");
        assertThat(CertsRenewFiles.script(false, false))
                .contains("\"$KUBEADM\" certs renew all")
                .contains("crictl rmp -f");
        assertThat(CertsRenewFiles.timer()).contains("OnCalendar=Mon *-*-* 03:00:00");
    }

    private static Path pkiWith(Path dir, Duration apiserverValidity) throws Exception {
        Path pki = Files.createDirectories(dir.resolve("pki"));
        CertificateAuthority ca = CertificateAuthority.create("kubernetes", Duration.ofDays(3650), Clock.systemUTC());
        Files.writeString(pki.resolve("ca.crt"), ca.keyAndCertificate().certificatePem());
        Files.writeString(
                pki.resolve("apiserver.crt"),
                ca.issue(new CertificateRequest(
                                "kube-apiserver", "", List.of("kubernetes"), List.of(), true, false, apiserverValidity))
                        .certificatePem());
        Files.writeString(
                pki.resolve("front-proxy-client.crt"),
                ca.issue(new CertificateRequest(
                                "front-proxy-client", "", List.of(), List.of(), false, true, Duration.ofDays(365)))
                        .certificatePem());
        return pki;
    }

    private static Run run(Path dir, Path pki, String kubeadm) throws Exception {
        Path script = dir.resolve("renew.sh");
        Files.writeString(script, CertsRenewFiles.script(false, false));
        ProcessBuilder pb = new ProcessBuilder("bash", script.toString()).redirectErrorStream(true);
        pb.environment().put("KK_PKI_DIR", pki.toString());
        pb.environment().put("KK_KUBEADM", kubeadm);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Run(p.waitFor(), out);
    }
}
