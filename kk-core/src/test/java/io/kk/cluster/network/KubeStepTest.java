package io.kk.cluster.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kk.error.KkException;
import io.kk.event.EventSink;
import io.kk.plan.ActionResult;
import io.kk.plan.FakeHost;
import io.kk.plan.HostContext;
import io.kk.plan.Role;
import io.kk.plan.Target;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A step places its files, runs its command, and only then stamps; a stamped step does nothing. */
class KubeStepTest {
    static final Target MASTER = Target.of("master1", "10.0.0.1", "amd64", Role.CONTROL_PLANE);

    @TempDir
    Path dir;

    private KubeStep step(String command) throws Exception {
        Path chart = dir.resolve("c-1.0.0.tgz");
        Files.writeString(chart, "chart bytes");
        return new KubeStep(
                "addon-c",
                Map.of("/etc/kubernetes/addons/c/extra.yaml", "kind: Namespace\n"),
                Map.of("/etc/kubernetes/addons/c/c-1.0.0.tgz", chart),
                command,
                3,
                0);
    }

    @Test
    void firstRunPlacesFilesRunsTheCommandThenStamps() throws Exception {
        KubeStep s = step("/usr/local/bin/helm upgrade --install c /etc/kubernetes/addons/c/c-1.0.0.tgz");
        FakeHost host = new FakeHost("master1").exit("^grep -qx .*", 1).exit("^printf .* sha256sum .*", 1);
        ActionResult r = s.action().apply(HostContext.forTest(MASTER, host.open(), EventSink.NONE, Clock.systemUTC()));
        assertThat(r.outcome()).isEqualTo(io.kk.plan.Outcome.CHANGED);
        List<String> cmds = host.commands();
        int helm = indexOf(cmds, "until /usr/local/bin/helm upgrade --install c ");
        int stamp = indexOf(cmds, "echo " + s.stamp() + " > " + s.stampPath());
        assertThat(indexOf(cmds, "mkdir -p /etc/kubernetes/addons/c")).isLessThan(helm);
        assertThat(helm).isLessThan(stamp);
        assertThat(host.files).containsEntry("/etc/kubernetes/addons/c/extra.yaml", "kind: Namespace\n");
        assertThat(host.files).containsEntry("/etc/kubernetes/addons/c/c-1.0.0.tgz", "chart bytes");
        assertThat(host.modes.get("/etc/kubernetes/addons/c/extra.yaml")).isEqualTo(0600);
    }

    @Test
    void aStampedStepWithItsFilesInPlaceChangesNothing() throws Exception {
        KubeStep s = step("/usr/local/bin/helm upgrade --install c /etc/kubernetes/addons/c/c-1.0.0.tgz");
        FakeHost host = new FakeHost("master1"); // every check answers 0: stamp and files match
        ActionResult r = s.action().apply(HostContext.forTest(MASTER, host.open(), EventSink.NONE, Clock.systemUTC()));
        assertThat(r.outcome()).isEqualTo(io.kk.plan.Outcome.UNCHANGED);
        assertThat(host.commands()).containsExactly(s.checkScript());
        assertThat(host.uploads.get()).isZero();
    }

    @Test
    void aFailedCommandLeavesNoStampSoTheNextRunTriesAgain() throws Exception {
        KubeStep s = step("/usr/local/bin/kubectl apply -f x");
        FakeHost host = new FakeHost("master1")
                .exit("^grep -qx .*", 1)
                .exit("^printf .* sha256sum .*", 1)
                .exit("^n=0; until .*", 1);
        assertThatThrownBy(() ->
                        s.action().apply(HostContext.forTest(MASTER, host.open(), EventSink.NONE, Clock.systemUTC())))
                .isInstanceOf(KkException.class);
        assertThat(host.commands()).noneMatch(c -> c.contains(s.stampPath()) && c.startsWith("mkdir"));
    }

    @Test
    void theStampChangesWithTheCommandAndWithEveryFile() throws Exception {
        KubeStep a = step("cmd --set a=1");
        KubeStep b = step("cmd --set a=2");
        KubeStep c = new KubeStep("addon-c", Map.of("/x", "other"), a.uploads(), a.command(), 3, 0);
        assertThat(a.stamp()).isNotEqualTo(b.stamp()).isNotEqualTo(c.stamp());
        assertThat(a.stamp()).isEqualTo(step("cmd --set a=1").stamp());
    }

    /** The retry loop is real bash: it retries a failing command, and gives up after the attempts. */
    @Test
    void retryLoopRetriesThenGivesUp() throws Exception {
        Path counter = dir.resolve("count");
        String flaky = "{ echo x >> " + counter + "; [ $(wc -l < " + counter + ") -ge 3 ]; }";
        assertThat(bash(new KubeStep("s", Map.of(), Map.of(), flaky, 5, 0).script()))
                .isZero();
        assertThat(Files.readAllLines(counter)).hasSize(3);
        Files.delete(counter);
        String never = "{ echo x >> " + counter + "; false; }";
        assertThat(bash(new KubeStep("s", Map.of(), Map.of(), never, 4, 0).script()))
                .isEqualTo(1);
        assertThat(Files.readAllLines(counter)).hasSize(4);
    }

    private static int bash(String script) throws Exception {
        Process p = new ProcessBuilder("bash", "-c", script).inheritIO().start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return p.exitValue();
    }

    private static int indexOf(List<String> cmds, String part) {
        for (int i = 0; i < cmds.size(); i++) {
            if (cmds.get(i).contains(part)) {
                return i;
            }
        }
        throw new AssertionError("no command contains " + part + " in " + cmds);
    }
}
