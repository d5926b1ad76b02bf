package io.kk.cluster.certs;

import static org.assertj.core.api.Assertions.assertThat;

import io.kk.pki.CertificateAuthority;
import io.kk.pki.CertificateRequest;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
    void alphaCommandBelowKubeadm120AndOneRestartForEveryRuntime() {
        assertThat(CertsRenewFiles.script(true)).contains("\"$KUBEADM\" alpha certs renew all");
        assertThat(CertsRenewFiles.script(false))
                .contains("\"$KUBEADM\" certs renew all")
                // kk certs renew's generated restart, not a second copy; no runtime CLI
                .contains(CertsRenewal.restartStaticPods(
                        CertsRenewal.CONTROL_PLANE_PODS,
                        "\"$KUBE_DIR/manifests\"",
                        "\"$KUBE_DIR/manifests-kk-restart\""))
                .doesNotContain("crictl")
                .doesNotContain("docker");
        assertThat(CertsRenewFiles.timer()).contains("OnCalendar=Mon *-*-* 03:00:00");
    }

    /**
     * The whole script with bash: a kubeadm stand-in that records its calls, the control plane's
     * manifests in a temp dir watched by a stand-in kubelet (a process per manifest present), ps
     * answered from those processes and kube-apiserver's port served by the test.
     */
    @Test
    void dueCertificatesAreRenewedThenThePodsRestartedByTheirManifests(@TempDir Path dir) throws Exception {
        Path pki = pkiWith(dir, Duration.ofDays(10));
        Path kube = Files.createDirectories(dir.resolve("kubernetes"));
        Path m = Files.createDirectories(kube.resolve("manifests"));
        Path running = Files.createDirectories(dir.resolve("running"));
        Path events = dir.resolve("events");
        Path calls = dir.resolve("kubeadm-calls");
        Files.writeString(kube.resolve("admin.conf"), "admin\n");
        Path kubeadm = dir.resolve("kubeadm");
        Files.writeString(kubeadm, "#!/bin/bash\necho \"$*\" >> " + calls + "\n");
        kubeadm.toFile().setExecutable(true);
        try (ServerSocket apiserver = new ServerSocket(0)) {
            String api = "spec:\n  containers:\n  - command:\n    - kube-apiserver\n    - --secure-port="
                    + apiserver.getLocalPort() + "\n";
            Files.writeString(m.resolve("kube-apiserver.yaml"), api);
            Files.writeString(m.resolve("kube-controller-manager.yaml"), "cm\n");
            Files.writeString(m.resolve("kube-scheduler.yaml"), "scheduler\n");
            Files.writeString(m.resolve("etcd.yaml"), "etcd\n");
            Path script = dir.resolve("renew.sh");
            Files.writeString(script, CertsRenewFiles.script(false));
            String kubelet = "while true; do for c in kube-apiserver kube-controller-manager kube-scheduler etcd; do"
                    + " if [ -f " + m + "/$c.yaml ]; then [ -f " + running + "/$c ] || { touch " + running + "/$c;"
                    + " echo \"start $c\" >> " + events + "; };"
                    + " elif [ -f " + running + "/$c ]; then rm -f " + running + "/$c; echo \"stop $c\" >> " + events
                    + "; fi; done; sleep 0.1; done";
            Path harness = dir.resolve("harness.sh");
            Files.writeString(
                    harness,
                    "ps() { echo COMMAND; for f in " + running + "/*; do [ -f \"$f\" ] && echo \"$(basename \"$f\")"
                            + " --flag=1\"; done; }\nexport -f ps\n" + kubelet + " &\nK=$!\n"
                            + "for i in $(seq 1 100); do [ $(ls " + running + " | wc -l) = 4 ] && break; sleep 0.1;"
                            + " done\n: > " + events + "\nbash " + script + "\nrc=$?\n"
                            // the stand-in kubelet catches up with the manifests put back before it stops
                            + "for i in $(seq 1 100); do [ $(ls " + running + " | wc -l) = 4 ] && break; sleep 0.1;"
                            + " done\nkill $K\nexit $rc\n");
            ProcessBuilder pb = new ProcessBuilder("bash", harness.toString()).redirectErrorStream(true);
            pb.environment().put("KK_PKI_DIR", pki.toString());
            pb.environment().put("KK_KUBEADM", kubeadm.toString());
            pb.environment().put("KK_KUBE_DIR", kube.toString());
            pb.environment().put("KK_ROOT_KUBE_DIR", dir.resolve("root-kube").toString());
            Process p = pb.start();
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.exitValue()).as(out).isZero();

            assertThat(Files.readAllLines(calls)).containsExactly("certs renew all", "certs check-expiration");
            List<String> seen = Files.readAllLines(events);
            for (String c : CertsRenewal.CONTROL_PLANE_PODS) {
                assertThat(seen).containsSubsequence("stop " + c, "start " + c);
            }
            assertThat(Files.readString(m.resolve("kube-apiserver.yaml"))).isEqualTo(api);
            assertThat(m.resolve("etcd.yaml")).hasContent("etcd");
            assertThat(kube.resolve("manifests-kk-restart")).doesNotExist();
            assertThat(dir.resolve("root-kube/config")).hasContent("admin");
        }
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
        Files.writeString(script, CertsRenewFiles.script(false));
        ProcessBuilder pb = new ProcessBuilder("bash", script.toString()).redirectErrorStream(true);
        pb.environment().put("KK_PKI_DIR", pki.toString());
        pb.environment().put("KK_KUBEADM", kubeadm);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Run(p.waitFor(), out);
    }
}
