package io.kk.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.kk.event.EventSink;
import java.time.Clock;
import org.junit.jupiter.api.Test;

/**
 * A file written and its follow-up (a restart, a reload) not yet run when kk was killed: the rerun
 * finds the file as wanted, and must still run the follow-up. The marker on the host says it is due.
 */
class FollowUpTest {
    static final Target HOST = Target.of("node1", "10.0.0.1", "amd64", Role.WORKER);
    static final String PATH = "/etc/containerd/config.toml";
    static final String MARKER = Actions.followUpMarker("file" + PATH);

    private static ActionResult apply(FakeHost host, Action a) {
        return a.apply(HostContext.forTest(HOST, host.open(), EventSink.NONE, Clock.systemUTC()));
    }

    @Test
    void theFollowUpIsMarkedDueBeforeTheWriteAndClearedAfterItRan() {
        FakeHost host = new FakeHost("node1");
        Action a = Actions.file("config", PATH, t -> "new", 0600, "systemctl restart containerd");
        assertThat(apply(host, a).outcome()).isEqualTo(Outcome.CHANGED);
        assertThat(host.commands())
                .containsSubsequence(
                        "mkdir -p " + Actions.FOLLOW_UPS + " && touch " + MARKER,
                        "(upload) " + PATH,
                        "systemctl restart containerd",
                        "rm -f " + MARKER);
        assertThat(host.files).doesNotContainKey(MARKER);
    }

    @Test
    void aRerunAfterAKillBetweenWriteAndFollowUpRunsTheFollowUpOnce() {
        FakeHost host = new FakeHost("node1");
        // what a kill right after the upload leaves: the new file, the marker
        host.files.put(PATH, "new");
        host.modes.put(PATH, 0600);
        host.files.put(MARKER, "");
        Action a = Actions.file("config", PATH, t -> "new", 0600, "systemctl restart containerd");

        assertThat(apply(host, a).outcome()).isEqualTo(Outcome.CHANGED);
        assertThat(host.commands()).contains("systemctl restart containerd").noneMatch(c -> c.startsWith("(upload)"));
        assertThat(host.files).doesNotContainKey(MARKER);

        host.clearCommands();
        assertThat(apply(host, a).outcome()).as("nothing due any more").isEqualTo(Outcome.UNCHANGED);
        assertThat(host.commands()).doesNotContain("systemctl restart containerd");
    }

    @Test
    void withoutAMarkerAnUnchangedFileRunsNothing() {
        FakeHost host = new FakeHost("node1");
        host.files.put(PATH, "new");
        host.modes.put(PATH, 0600);
        Action a = Actions.file("config", PATH, t -> "new", 0600, "systemctl restart containerd");
        assertThat(apply(host, a).outcome()).isEqualTo(Outcome.UNCHANGED);
        assertThat(host.commands()).doesNotContain("systemctl restart containerd");
    }
}
