package io.kk.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.kk.error.ErrorKind;
import io.kk.plan.HostSummary;
import io.kk.plan.Outcome;
import io.kk.plan.PlanEvent;
import io.kk.plan.PlanReport;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PlanRendererTest {

    @Test
    void rendersProgressLinesOutputFailuresAndASummaryTable() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Console console = new Console(
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));

        console.emit(new PlanEvent.PlanStarted("init os", List.of("node1", "node2"), 5));
        console.emit(new PlanEvent.TaskStarted("configure os", "kernel", List.of("node1", "node2"), false));
        console.emit(new PlanEvent.ActionDone(
                "node1",
                "configure os",
                "kernel",
                "sysctl",
                Outcome.CHANGED,
                "/etc/sysctl.d/99-kubekey.conf",
                Duration.ofMillis(420)));
        console.emit(new PlanEvent.ActionOutput("node1", "preInstall hello", "preInstall hello", "hello\nworld\n"));
        console.emit(new PlanEvent.ActionDone(
                "node2", "configure os", "kernel", "sysctl", Outcome.FAILED, "exit 1", Duration.ofMillis(1500)));
        console.emit(new PlanEvent.HostFailed(
                "node2", "configure os", "kernel", "sysctl", "node2: sysctl failed (exit 1):\n  denied", "check it"));
        console.emit(new PlanEvent.PlanFinished(new PlanReport(
                "init os",
                List.of(
                        new HostSummary("node1", 7, 3, 1, Optional.empty()),
                        new HostSummary(
                                "node2",
                                4,
                                0,
                                0,
                                Optional.of(new HostSummary.Failure(
                                        "configure os / kernel",
                                        "sysctl",
                                        "node2: sysctl failed (exit 1):\n  denied",
                                        "check it",
                                        ErrorKind.FAILED)))),
                false)));

        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
        assertThat(err.toString(StandardCharsets.UTF_8))
                .isEqualTo(
                        """
                        init os: 2 hosts, 5 tasks
                        == configure os / kernel: node1, node2
                        [node1] configure os / kernel: sysctl ... changed (0.4s) /etc/sysctl.d/99-kubekey.conf
                        [node1]   | hello
                        [node1]   | world
                        [node2] configure os / kernel: sysctl ... failed (1.5s) exit 1
                        [node2] FAILED at configure os / kernel / sysctl:
                        [node2]   node2: sysctl failed (exit 1):
                        [node2]     denied
                        [node2]   hint: check it

                        HOST   CHANGED  UNCHANGED  SKIPPED  RESULT
                        node1  7        3          1        stopped
                        node2  4        0          0        failed at configure os / kernel / sysctl: node2: sysctl failed (exit 1):
                        init os: failed on 1 of 2 hosts
                        """);
    }
}
