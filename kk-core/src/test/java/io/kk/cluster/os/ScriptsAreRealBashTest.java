package io.kk.cluster.os;

import static org.assertj.core.api.Assertions.assertThat;

import io.kk.event.EventSink;
import io.kk.plan.FakeHost;
import io.kk.plan.HostContext;
import io.kk.plan.HostValues;
import io.kk.plan.PlanRunner;
import io.kk.plan.Role;
import io.kk.plan.RunOptions;
import io.kk.plan.Target;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fakes answer commands by pattern and never run them; this test makes sure what kk sends is
 * real bash: every script a full run sent parses with {@code bash -n}, and the read-only precheck
 * probes run on this machine and yield sensible facts.
 */
class ScriptsAreRealBashTest {

    @TempDir
    Path tmp;

    @Test
    void everyScriptAFullRunSendsIsValidBash() throws Exception {
        Clock clock = Clock.systemUTC();
        Map<String, FakeHost> hosts = new LinkedHashMap<>();
        List<Target> targets = List.of(
                Target.of("node1", "10.0.0.1", "amd64", Role.CONTROL_PLANE, Role.ETCD),
                Target.of("node2", "10.0.0.2", "amd64", Role.WORKER));
        FakeNode debian = new FakeNode("node1", FakeNode.DEBIAN_12, clock);
        FakeNode rocky = new FakeNode("node2", FakeNode.ROCKY_9, clock);
        debian.commands.add("modprobe");
        hosts.put("node1", debian.host);
        hosts.put("node2", rocky.host);
        Path repo = tmp.resolve("repo");
        for (String iso : List.of("amd64/debian/12/debian-12-amd64.iso", "amd64/rocky/9.3/rocky-9.3-amd64.iso")) {
            Files.createDirectories(repo.resolve(iso).getParent());
            Files.writeString(repo.resolve(iso), "iso");
        }
        OsInitRequest r = new OsInitRequest(
                targets,
                "cluster.local",
                null,
                null,
                null,
                List.of("node1", "pool.ntp.org"),
                "Europe/Berlin",
                List.of("nfs-common"),
                List.of("nfs-utils"),
                List.of(new CustomScript("it's pre", "echo \"pre $(hostname)\"", "", List.of())),
                List.of(),
                new PackageSource.IsoRepository(repo),
                "ipvs",
                Duration.ofSeconds(30));

        new PlanRunner(FakeHost.factory(hosts), RunOptions.defaults(), EventSink.NONE, clock, d -> {})
                .run(OsInitPlan.pipeline(r), r.inventory())
                .orThrow();

        TreeSet<String> scripts = new TreeSet<>();
        hosts.values()
                .forEach(h ->
                        h.commands().stream().filter(c -> !c.startsWith("(")).forEach(scripts::add));
        assertThat(scripts).hasSizeGreaterThan(20);
        for (String script : scripts) {
            assertThat(LocalBash.bash("/bin/bash", "-n", "-c", script).exitCode())
                    .as("bash -n of: %s", script)
                    .isZero();
        }
    }

    @Test
    void precheckProbesRunOnThisMachine() {
        HostValues<HostFacts> facts = new HostValues<>("facts");
        Target local = Target.of("local", "127.0.0.1", "amd64", Role.WORKER);
        HostContext ctx = HostContext.forTest(local, new LocalBash(), EventSink.NONE, Clock.systemUTC());

        Precheck.gather(facts).apply(ctx);

        HostFacts f = facts.get(local);
        assertThat(f.os().family()).isEqualTo(OsRelease.Family.DEBIAN);
        assertThat(f.kernelVersion().get(0)).isGreaterThanOrEqualTo(4);
        assertThat(f.arch()).isIn("amd64", "arm64");
        assertThat(Math.abs(f.driftSeconds())).isLessThanOrEqualTo(1);
        assertThat(f.commands()).contains("mount", "dpkg", "apt-get");
        assertThat(f.commands()).doesNotContain("yum");
    }
}
