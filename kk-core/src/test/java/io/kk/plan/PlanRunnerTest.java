package io.kk.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kk.error.ErrorKind;
import io.kk.error.KkException;
import io.kk.event.Event;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class PlanRunnerTest {
    private final List<Event> events = Collections.synchronizedList(new ArrayList<>());
    private final List<Duration> sleeps = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, FakeHost> fakes = new LinkedHashMap<>();

    private Inventory inventory(Target... targets) {
        for (Target t : targets) {
            fakes.put(t.name(), new FakeHost(t.name()));
        }
        return Inventory.of(targets);
    }

    private Inventory threeNodes() {
        return inventory(
                Target.of("node1", "10.0.0.1", "amd64", Role.ETCD, Role.CONTROL_PLANE),
                Target.of("node2", "10.0.0.2", "amd64", Role.WORKER),
                Target.of("node3", "10.0.0.3", "arm64", Role.WORKER, Role.REGISTRY));
    }

    private PlanRunner runner(RunOptions options) {
        return new PlanRunner(FakeHost.factory(fakes), options, events::add, Clock.systemUTC(), sleeps::add);
    }

    private static Action cmd(String name, String script) {
        return Actions.of(name, t -> List.of("$ " + script), h -> {
            h.sudoOk(script);
            return ActionResult.changed();
        });
    }

    @Test
    void runsModulesTasksAndActionsInOrderOnEachHost() {
        Inventory inv = threeNodes();
        Pipeline p = Pipeline.of(
                "demo",
                Module.of("one", Task.parallel("a", HostSelector.all(), cmd("a1", "echo a1"), cmd("a2", "echo a2"))),
                Module.of("two", Task.parallel("b", HostSelector.all(), cmd("b1", "echo b1"))));

        PlanReport report = runner(RunOptions.defaults()).run(p, inv);

        assertThat(report.ok()).isTrue();
        for (FakeHost f : fakes.values()) {
            assertThat(f.commands()).containsExactly("echo a1", "echo a2", "echo b1");
        }
        assertThat(report.total(Outcome.CHANGED)).isEqualTo(9);
        assertThat(events.get(0)).isInstanceOf(PlanEvent.PlanStarted.class);
        assertThat(events.get(events.size() - 1)).isInstanceOf(PlanEvent.PlanFinished.class);
    }

    @Test
    void serialTaskRunsHostsOneByOneInInventoryOrder() {
        Inventory inv = threeNodes();
        List<String> order = Collections.synchronizedList(new ArrayList<>());
        Action record = Actions.of("record", t -> List.of(), h -> {
            order.add(h.hostName() + ":start");
            h.sudoOk("true");
            order.add(h.hostName() + ":end");
            return ActionResult.unchanged();
        });
        Pipeline p = Pipeline.of("s", Module.of("m", Task.serial("upgrade", HostSelector.all(), record, record)));

        runner(RunOptions.defaults()).run(p, inv);

        assertThat(order)
                .containsExactly(
                        "node1:start",
                        "node1:end",
                        "node1:start",
                        "node1:end",
                        "node2:start",
                        "node2:end",
                        "node2:start",
                        "node2:end",
                        "node3:start",
                        "node3:end",
                        "node3:start",
                        "node3:end");
    }

    @Test
    void selectsHostsByRole() {
        Inventory inv = threeNodes();
        Pipeline p = Pipeline.of(
                "roles",
                Module.of(
                        "m",
                        Task.parallel("etcd", HostSelector.role(Role.ETCD), cmd("e", "echo etcd")),
                        Task.parallel("workers", HostSelector.byRoleName("worker"), cmd("w", "echo worker")),
                        Task.parallel("k8s", HostSelector.byRoleName("k8s"), cmd("k", "echo k8s")),
                        Task.parallel(
                                "registry",
                                HostSelector.anyRole(Role.REGISTRY)
                                        .and(HostSelector.where(t -> t.arch().equals("arm64"))),
                                cmd("r", "echo registry")),
                        Task.parallel(
                                "not-cp",
                                HostSelector.all().butNot(HostSelector.byRoleName("master")),
                                cmd("n", "echo notcp"))));

        runner(RunOptions.defaults()).run(p, inv);

        assertThat(fakes.get("node1").commands()).containsExactly("echo etcd", "echo k8s");
        assertThat(fakes.get("node2").commands()).containsExactly("echo worker", "echo k8s", "echo notcp");
        assertThat(fakes.get("node3").commands())
                .containsExactly("echo worker", "echo k8s", "echo registry", "echo notcp");
    }

    @Test
    void parallelBoundIsReachedAndNeverExceeded() {
        Target[] targets = new Target[6];
        for (int i = 0; i < 6; i++) {
            targets[i] = Target.of("n" + i, "10.0.0." + i, "amd64", Role.WORKER);
        }
        Inventory inv = inventory(targets);
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger max = new AtomicInteger();
        // Three hosts must be inside at once to pass the barrier: proves the bound is used; the
        // counter proves it is never exceeded.
        CyclicBarrier barrier = new CyclicBarrier(3);
        Action meet = Actions.of("meet", t -> List.of(), h -> {
            int now = inside.incrementAndGet();
            max.accumulateAndGet(now, Math::max);
            try {
                barrier.await(20, TimeUnit.SECONDS);
            } catch (InterruptedException | BrokenBarrierException | TimeoutException e) {
                throw KkException.failed("barrier not reached: " + e, "");
            } finally {
                inside.decrementAndGet();
            }
            return ActionResult.unchanged();
        });
        Pipeline p = Pipeline.of("par", Module.of("m", Task.parallel("meet", HostSelector.all(), meet)));

        PlanReport report = runner(RunOptions.defaults().withParallel(3)).run(p, inv);

        assertThat(report.ok()).as(report.toString()).isTrue();
        assertThat(max.get()).isEqualTo(3);
    }

    @Test
    void retriesConnectionErrorsWithExponentialBackoffAndReconnects() {
        Inventory inv = inventory(Target.of("node1", "10.0.0.1", "amd64", Role.WORKER));
        FakeHost f = fakes.get("node1");
        f.dropNext("echo hi").dropNext("echo hi");
        Pipeline p = Pipeline.of("r", Module.of("m", Task.parallel("t", HostSelector.all(), cmd("hi", "echo hi"))));

        PlanReport report = runner(RunOptions.defaults().withRetries(3, Duration.ofMillis(100)))
                .run(p, inv);

        assertThat(report.ok()).isTrue();
        assertThat(f.commands()).containsExactly("(dropped) echo hi", "(dropped) echo hi", "echo hi");
        assertThat(f.opens.get()).isEqualTo(3);
        assertThat(sleeps).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200));
    }

    @Test
    void givesUpAfterTheRetriesWithAnEnvironmentError() {
        Inventory inv = inventory(Target.of("node1", "10.0.0.1", "amd64", Role.WORKER));
        FakeHost f = fakes.get("node1");
        f.dropNext("echo hi").dropNext("echo hi").dropNext("echo hi");
        Pipeline p = Pipeline.of("r", Module.of("m", Task.parallel("t", HostSelector.all(), cmd("hi", "echo hi"))));

        PlanReport report = runner(RunOptions.defaults().withRetries(2, Duration.ofMillis(10)))
                .run(p, inv);

        assertThat(report.ok()).isFalse();
        assertThat(report.kind()).isEqualTo(ErrorKind.ENVIRONMENT);
        assertThat(report.failedHosts().get(0).failure().orElseThrow().message())
                .contains("connection reset")
                .contains("gave up after 2 retries");
        assertThat(sleeps).hasSize(2);
    }

    @Test
    void ordinaryFailuresAreNotRetried() {
        Inventory inv = inventory(Target.of("node1", "10.0.0.1", "amd64", Role.WORKER));
        FakeHost f = fakes.get("node1");
        f.exit("false", 1);
        Pipeline p = Pipeline.of("r", Module.of("m", Task.parallel("t", HostSelector.all(), cmd("no", "false"))));

        PlanReport report = runner(RunOptions.defaults()).run(p, inv);

        assertThat(report.kind()).isEqualTo(ErrorKind.FAILED);
        assertThat(f.commands()).containsExactly("false");
        assertThat(sleeps).isEmpty();
    }

    @Test
    void aFailedHostStopsItsWorkOthersFinishTheTaskThenThePipelineStops() {
        Inventory inv = threeNodes();
        fakes.get("node2").exit("step 1", 2);
        Pipeline p = Pipeline.of(
                "init os",
                Module.of(
                        "prep",
                        Task.parallel("first", HostSelector.all(), cmd("s1", "step 1"), cmd("s2", "step 2")),
                        Task.parallel("second", HostSelector.all(), cmd("s3", "step 3"))));

        PlanReport report = runner(RunOptions.defaults()).run(p, inv);

        assertThat(fakes.get("node1").commands()).containsExactly("step 1", "step 2");
        assertThat(fakes.get("node2").commands()).containsExactly("step 1");
        assertThat(fakes.get("node3").commands()).containsExactly("step 1", "step 2");
        assertThat(report.completed()).isFalse();
        HostSummary.Failure failure = report.failedHosts().get(0).failure().orElseThrow();
        assertThat(report.failedHosts()).extracting(HostSummary::host).containsExactly("node2");
        assertThat(failure.task()).isEqualTo("prep / first");
        assertThat(failure.action()).isEqualTo("s1");
        assertThat(failure.message()).contains("node2").contains("exit 2").contains("scripted failure");
        assertThat(events)
                .anyMatch(e -> e instanceof PlanEvent.HostFailed hf && hf.host().equals("node2"));
        assertThatThrownBy(report::orThrow)
                .isInstanceOf(KkException.class)
                .hasMessageContaining("init os failed on 1 of 3 hosts")
                .hasMessageContaining("node2: prep / first / s1");
    }

    @Test
    void ignoreErrorsDropsTheFailedHostAndGoesOnButStillFails() {
        Inventory inv = threeNodes();
        fakes.get("node2").exit("step 1", 2);
        Pipeline p = Pipeline.of(
                "p",
                Module.of(
                        "m",
                        Task.parallel("first", HostSelector.all(), cmd("s1", "step 1")),
                        Task.parallel("second", HostSelector.all(), cmd("s2", "step 2"))));

        PlanReport report = runner(RunOptions.defaults().withIgnoreErrors(true)).run(p, inv);

        assertThat(fakes.get("node1").commands()).containsExactly("step 1", "step 2");
        assertThat(fakes.get("node2").commands()).containsExactly("step 1");
        assertThat(fakes.get("node3").commands()).containsExactly("step 1", "step 2");
        assertThat(report.completed()).isTrue();
        assertThat(report.ok()).isFalse();
    }

    @Test
    void unexpectedExceptionsBecomeInternalFailuresNotCrashes() {
        Inventory inv = threeNodes();
        Action boom = Actions.of("boom", t -> List.of(), h -> {
            if (h.hostName().equals("node3")) {
                throw new IllegalStateException("bug");
            }
            return ActionResult.unchanged();
        });
        PlanReport report = runner(RunOptions.defaults())
                .run(Pipeline.of("p", Module.of("m", Task.parallel("t", HostSelector.all(), boom))), inv);

        assertThat(report.kind()).isEqualTo(ErrorKind.INTERNAL);
        assertThat(report.failedHosts()).extracting(HostSummary::host).containsExactly("node3");
    }

    @Test
    void helperActionsAreIdempotent() {
        Inventory inv = threeNodes();
        fakes.values().forEach(f -> {
            f.files.put("/etc/hosts", "127.0.0.1 localhost\n");
            boolean[] enabled = {false};
            f.on("systemctl is-enabled.*", m -> FakeHost.result(enabled[0] ? 0 : 1, "", ""));
            f.on("systemctl enable --now.*", m -> {
                enabled[0] = true;
                return FakeHost.ok("");
            });
            f.on("test -e /done", m -> FakeHost.result(f.files.containsKey("/done") ? 0 : 3, "", ""));
            f.on("touch /done", m -> {
                f.files.put("/done", "");
                return FakeHost.ok("");
            });
        });
        Pipeline p = Pipeline.of(
                "idem",
                Module.of(
                        "m",
                        Task.parallel(
                                "t",
                                HostSelector.all(),
                                Actions.file("conf", "/etc/x.conf", t -> "name=" + t.name() + "\n", 0644, "reload x"),
                                Actions.block(
                                        "hosts",
                                        "/etc/hosts",
                                        "# kubekey hosts BEGIN",
                                        "# kubekey hosts END",
                                        t -> "10.0.0.1  node1.cluster.local node1",
                                        0644),
                                Actions.service("unit", "x.service"),
                                Actions.guarded("mark", "test -e /done", "touch /done"))));

        PlanReport first = runner(RunOptions.defaults()).run(p, inv);
        assertThat(first.total(Outcome.CHANGED)).isEqualTo(12);
        assertThat(fakes.get("node2").files.get("/etc/x.conf")).isEqualTo("name=node2\n");
        assertThat(fakes.get("node2").commands()).contains("reload x");
        assertThat(fakes.get("node2").files.get("/etc/hosts"))
                .isEqualTo("127.0.0.1 localhost\n# kubekey hosts BEGIN\n10.0.0.1  node1.cluster.local node1\n"
                        + "# kubekey hosts END\n");

        fakes.values().forEach(FakeHost::clearCommands);
        int uploadsBefore = fakes.get("node1").uploads.get();
        PlanReport second = runner(RunOptions.defaults()).run(p, inv);

        assertThat(second.total(Outcome.CHANGED)).isZero();
        assertThat(second.total(Outcome.UNCHANGED)).isEqualTo(12);
        assertThat(fakes.get("node1").uploads.get()).isEqualTo(uploadsBefore);
        assertThat(fakes.get("node1").commands()).doesNotContain("reload x", "touch /done");
    }

    @Test
    void fileWithRightContentButWrongModeIsOnlyChmodded() {
        Inventory inv = inventory(Target.of("node1", "10.0.0.1", "amd64", Role.WORKER));
        FakeHost f = fakes.get("node1");
        f.files.put("/etc/x", "a\n");
        f.modes.put("/etc/x", 0600);
        PlanReport r = runner(RunOptions.defaults())
                .run(
                        Pipeline.of(
                                "p",
                                Module.of(
                                        "m",
                                        Task.parallel(
                                                "t", HostSelector.all(), Actions.file("x", "/etc/x", "a\n", 0644)))),
                        inv);
        assertThat(r.total(Outcome.CHANGED)).isEqualTo(1);
        assertThat(f.uploads.get()).isZero();
        assertThat(f.modes.get("/etc/x")).isEqualTo(0644);
    }

    @Test
    void lineIsAppendedOnceAndOnlyWhenMissing() {
        Inventory inv = inventory(Target.of("node1", "10.0.0.1", "amd64", Role.WORKER));
        FakeHost f = fakes.get("node1");
        f.files.put("/etc/modules", "loop\n");
        f.on(
                "grep -qxF -- (\\S+) (\\S+)",
                m -> FakeHost.result(f.files.get(m.group(2)).lines().anyMatch(m.group(1)::equals) ? 0 : 1, "", ""));
        f.on("echo (\\S+) >> (\\S+)", m -> {
            f.files.merge(m.group(2), m.group(1) + "\n", String::concat);
            return FakeHost.ok("");
        });
        Pipeline p = Pipeline.of(
                "l",
                Module.of("m", Task.parallel("t", HostSelector.all(), Actions.line("ipvs", "/etc/modules", "ip_vs"))));

        assertThat(runner(RunOptions.defaults()).run(p, inv).total(Outcome.CHANGED))
                .isEqualTo(1);
        assertThat(runner(RunOptions.defaults()).run(p, inv).total(Outcome.UNCHANGED))
                .isEqualTo(1);
        assertThat(f.files.get("/etc/modules")).isEqualTo("loop\nip_vs\n");
    }

    @Test
    void replaceBlockKeepsTheRestOfTheFile() {
        String text = "a\n# B\nold\n# E\nz\n";
        assertThat(Actions.replaceBlock(text, "# B", "# E", "new1\nnew2")).isEqualTo("a\n# B\nnew1\nnew2\n# E\nz\n");
        assertThat(Actions.replaceBlock("a", "# B", "# E", "x")).isEqualTo("a\n# B\nx\n# E\n");
    }

    @Test
    void dryRunListsEveryCommandPerHostWithoutOpeningAnyRemote() throws Exception {
        Inventory inv = threeNodes();
        Pipeline p = Pipeline.of(
                "demo",
                Module.of(
                        "os",
                        Task.parallel(
                                "swap",
                                HostSelector.all(),
                                Actions.guarded("swap off", "! swapon --show | grep -q .", "swapoff -a")),
                        Task.parallel(
                                "etcd files",
                                HostSelector.role(Role.ETCD),
                                Actions.file(
                                        "etcd env",
                                        "/etc/etcd.env",
                                        t -> "ETCD_NAME=etcd-" + t.name() + "\n",
                                        0600,
                                        "systemctl restart etcd"))),
                Module.of(
                        "upgrade", Task.serial("kubelet", HostSelector.k8s(), Actions.service("kubelet", "kubelet"))));

        String text = PlanPreview.of(p, inv).render();

        Golden.assertMatches("io/kk/plan/dry-run-demo.txt", text);
        assertThat(fakes.values())
                .allMatch(f -> f.opens.get() == 0 && f.commands().isEmpty());
    }
}
