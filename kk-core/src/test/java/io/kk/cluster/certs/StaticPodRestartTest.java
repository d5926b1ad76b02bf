package io.kk.cluster.certs;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the real restart script with bash against a directory of manifests and a stand-in kubelet
 * (a loop that starts a "process" for every manifest present and stops it when it is gone), with
 * {@code ps} answered from those processes and kube-apiserver's port served by the test.
 */
class StaticPodRestartTest {
    static final List<String> PODS = List.of("kube-apiserver", "kube-controller-manager", "kube-scheduler", "etcd");

    @TempDir
    Path dir;

    private String run(String script) throws Exception {
        Path m = Files.createDirectories(dir.resolve("manifests"));
        Path running = Files.createDirectories(dir.resolve("running"));
        Path events = dir.resolve("events");
        String local = script.replace(CertsRenewal.PARKED, dir.resolve("parked").toString())
                .replace(CertsRenewal.MANIFESTS, m.toString());
        String kubelet = "while true; do for c in kube-apiserver kube-controller-manager kube-scheduler etcd; do"
                + " if [ -f " + m + "/$c.yaml ]; then [ -f " + running + "/$c ] || { touch " + running + "/$c;"
                + " echo \"start $c\" >> " + events + "; };"
                + " elif [ -f " + running + "/$c ]; then rm -f " + running + "/$c; echo \"stop $c\" >> " + events
                + "; fi; done; sleep 0.1; done";
        String ps = "ps() { echo COMMAND; for f in " + running + "/*; do [ -f \"$f\" ] && echo \"$(basename \"$f\")"
                + " --flag=1\"; done; }";
        Path sh = dir.resolve("run.sh");
        Files.writeString(
                sh,
                ps + "\n" + kubelet + " &\nK=$!\n"
                        + "for i in $(seq 1 100); do [ $(ls " + m + " | wc -l) = $(ls " + running
                        + " | wc -l) ] && break; sleep 0.1; done\n"
                        + ": > " + events + "\n(" + local + ")\nrc=$?\n"
                        // the stand-in kubelet catches up with the manifests put back before it stops
                        + "for i in $(seq 1 100); do [ $(ls " + m + " | wc -l) = $(ls " + running
                        + " | wc -l) ] && break; sleep 0.1; done\nkill $K\nexit $rc\n");
        Process p = new ProcessBuilder("bash", sh.toString())
                .redirectErrorStream(true)
                .start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(out).isZero();
        return Files.readString(events);
    }

    @Test
    void everyPodIsStoppedThenStartedAndItsManifestIsBackUnchanged() throws Exception {
        try (ServerSocket apiserver = new ServerSocket(0)) {
            Path m = Files.createDirectories(dir.resolve("manifests"));
            String api = "spec:\n  containers:\n  - command:\n    - kube-apiserver\n    - --secure-port="
                    + apiserver.getLocalPort() + "\n";
            Files.writeString(m.resolve("kube-apiserver.yaml"), api);
            Files.writeString(m.resolve("kube-controller-manager.yaml"), "cm\n");
            Files.writeString(m.resolve("kube-scheduler.yaml"), "scheduler\n");
            // an earlier run stopped while the scheduler's manifest was parked: it is put back first
            Files.createDirectories(dir.resolve("parked"));
            Files.move(m.resolve("kube-scheduler.yaml"), dir.resolve("parked/kube-scheduler.yaml"));

            List<String> events =
                    run(CertsRenewal.restartStaticPods(PODS)).lines().toList();

            // no etcd manifest (kk's etcd runs under systemd): nothing waited for it
            for (String c : List.of("kube-apiserver", "kube-controller-manager")) {
                assertThat(events).containsSubsequence("stop " + c, "start " + c);
            }
            // the parked one was not running; it runs again
            // (put back first, it is moved out with the others: the stand-in kubelet may or may not
            // catch it running in between, so only its last event counts)
            assertThat(events.stream()
                            .filter(e -> e.endsWith(" kube-scheduler"))
                            .reduce((a, b) -> b))
                    .contains("start kube-scheduler");
            assertThat(events).noneMatch(e -> e.endsWith(" etcd"));
            assertThat(Files.readString(m.resolve("kube-apiserver.yaml"))).isEqualTo(api);
            assertThat(Files.readString(m.resolve("kube-scheduler.yaml"))).isEqualTo("scheduler\n");
            assertThat(dir.resolve("parked")).doesNotExist();
        }
    }

    @Test
    void onlyKubeApiserverForANewEtcdClientCertificate() throws Exception {
        try (ServerSocket apiserver = new ServerSocket(0)) {
            Path m = Files.createDirectories(dir.resolve("manifests"));
            Files.writeString(
                    m.resolve("kube-apiserver.yaml"), "    - --secure-port=" + apiserver.getLocalPort() + "\n");
            Files.writeString(m.resolve("kube-scheduler.yaml"), "scheduler\n");

            List<String> events = run(CertsRenewal.restartStaticPods(List.of("kube-apiserver")))
                    .lines()
                    .toList();

            assertThat(events).containsExactly("stop kube-apiserver", "start kube-apiserver");
        }
    }
}
