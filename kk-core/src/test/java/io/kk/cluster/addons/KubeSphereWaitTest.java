package io.kk.cluster.addons;

import static org.assertj.core.api.Assertions.assertThat;

import io.kk.event.Event;
import io.kk.plan.FakeHost;
import io.kk.plan.Inventory;
import io.kk.plan.Module;
import io.kk.plan.Outcome;
import io.kk.plan.Pipeline;
import io.kk.plan.PlanEvent;
import io.kk.plan.PlanReport;
import io.kk.plan.PlanRunner;
import io.kk.plan.Role;
import io.kk.plan.RunOptions;
import io.kk.plan.Target;
import io.kk.plan.Task;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The wait for ks-installer against a fake first control plane whose kubectl answers are scripted;
 * time is a clock the wait's sleeper moves, so nothing here sleeps.
 */
class KubeSphereWaitTest {
    static final Target MASTER = Target.of("master1", "10.0.0.2", "amd64", Role.CONTROL_PLANE);
    static final String WELCOME = "*****\nWelcome to KubeSphere!\nConsole: http://10.0.0.2:30880\n*****\n";
    static final String LOGS =
            "TASK [common : KubeSphere | Deploying minio] ****\nfatal: [localhost]: FAILED! => minio\n";

    private final FakeHost master = new FakeHost("master1");
    private final List<Event> events = Collections.synchronizedList(new ArrayList<>());
    private Instant now = Instant.parse("2026-01-01T00:00:00Z");
    private final AtomicInteger polls = new AtomicInteger();

    private final Clock clock = new Clock() {
        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    };

    private PlanReport run(Duration timeout) {
        KubeSphereWait.Timing timing =
                new KubeSphereWait.Timing(timeout, Duration.ofSeconds(10), d -> now = now.plus(d));
        Pipeline p = new Pipeline(
                "kubesphere",
                List.of(Module.of("kubesphere", Task.serial("wait", h -> true, KubeSphereWait.action(timing)))));
        master.answer(Pattern.quote(KubeSphereWait.logsCommand()), LOGS);
        return new PlanRunner(
                        FakeHost.factory(Map.of("master1", master)), RunOptions.defaults(), events::add, clock, d -> {})
                .run(p, new Inventory(List.of(MASTER)));
    }

    /** The installer finishes on the {@code finishAt}th poll (never when 0). */
    private void installerFinishesAt(int finishAt) {
        master.on(Pattern.quote(KubeSphereWait.resultCommand()), m -> {
            int n = polls.incrementAndGet();
            return finishAt > 0 && n >= finishAt
                    ? FakeHost.ok(WELCOME)
                    : FakeHost.result(1, "", "cat: /kubesphere/playbooks/kubesphere_running: No such file");
        });
    }

    private List<String> output() {
        return events.stream()
                .filter(e -> e instanceof PlanEvent.ActionOutput)
                .map(e -> ((PlanEvent.ActionOutput) e).text())
                .toList();
    }

    @Test
    void theWaitEndsWithTheWelcomeMessageAndReportsProgress() {
        installerFinishesAt(20);
        master.answer(Pattern.quote(KubeSphereWait.statusCommand()), "Running ");

        PlanReport report = run(Duration.ofMinutes(30));

        assertThat(report.ok()).as(report.toString()).isTrue();
        assertThat(report.total(Outcome.CHANGED)).isEqualTo(1);
        assertThat(polls.get()).isEqualTo(20);
        assertThat(output()).last().asString().contains("Welcome to KubeSphere!");
        // progress at the start and about once a minute: 19 polls of 10 s
        assertThat(output().stream().filter(o -> o.startsWith("waiting for ks-installer")))
                .containsExactly(
                        "waiting for ks-installer: 0 s of 30 min, pod Running",
                        "waiting for ks-installer: 1 min of 30 min, pod Running",
                        "waiting for ks-installer: 2 min of 30 min, pod Running",
                        "waiting for ks-installer: 3 min of 30 min, pod Running");

        // a rerun finds KubeSphere running at once
        events.clear();
        polls.set(100);
        PlanReport again = run(Duration.ofMinutes(30));
        assertThat(again.ok()).isTrue();
        assertThat(again.total(Outcome.CHANGED)).isZero();
    }

    @Test
    void aTimeoutFailsWithTheInstallersLastLogLines() {
        installerFinishesAt(0);
        master.answer(Pattern.quote(KubeSphereWait.statusCommand()), "Running ");

        PlanReport report = run(Duration.ofMinutes(5));

        assertThat(report.ok()).isFalse();
        String message = report.hosts().get(0).failure().orElseThrow().message();
        assertThat(message)
                .contains("ks-installer did not finish within 5 min")
                .contains("fatal: [localhost]: FAILED! => minio");
        assertThat(polls.get()).isEqualTo(31);
    }

    @Test
    void aStuckInstallerPodEndsTheWaitEarly() {
        installerFinishesAt(0);
        master.answer(Pattern.quote(KubeSphereWait.statusCommand()), "Pending ImagePullBackOff");

        PlanReport report = run(Duration.ofMinutes(60));

        assertThat(report.ok()).isFalse();
        assertThat(report.hosts().get(0).failure().orElseThrow().message())
                .contains("ks-installer is stuck (ImagePullBackOff)");
        assertThat(report.hosts().get(0).failure().orElseThrow().hint()).contains("push the KubeSphere images");
        assertThat(polls.get()).isEqualTo(KubeSphereWait.STUCK_POLLS);
    }
}
