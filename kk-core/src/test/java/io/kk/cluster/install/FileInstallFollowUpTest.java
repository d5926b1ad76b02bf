package io.kk.cluster.install;

import static org.assertj.core.api.Assertions.assertThat;

import io.kk.event.EventSink;
import io.kk.plan.Action;
import io.kk.plan.Actions;
import io.kk.plan.FakeHost;
import io.kk.plan.HostContext;
import io.kk.plan.Outcome;
import io.kk.plan.Role;
import io.kk.plan.Target;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Binaries installed, the restart onto them not yet run when kk was killed: the rerun runs it. */
class FileInstallFollowUpTest {
    static final Target HOST = Target.of("node1", "10.0.0.1", "amd64", Role.WORKER);
    static final String RESTART = "if systemctl is-active -q containerd; then systemctl restart containerd; fi";

    @TempDir
    Path dir;

    @Test
    void theRestartIsMarkedDueBeforeTheInstallAndRunOnTheRerunWhenAKillCameBetween() throws Exception {
        Path runc = Files.writeString(dir.resolve("runc.amd64"), "runc binary");
        FileInstall.Plan plan = FileInstall.file(runc, "/usr/local/bin/runc");
        Action a = FileInstall.action("runc", plan, RESTART);
        String marker = Actions.followUpMarker("install/usr/local/bin/runc");

        // the first run: the check fails (not installed), so it installs and restarts
        FakeHost host = new FakeHost("node1");
        host.exit("printf .*sha256sum -c.*", 1);
        host.on("set -e; .*", m -> {
            host.on("printf .*sha256sum -c.*", x -> FakeHost.ok(""));
            return FakeHost.ok("");
        });
        assertThat(apply(host, a)).isEqualTo(Outcome.CHANGED);
        List<String> commands = host.commands();
        assertThat(commands)
                .containsSubsequence(
                        "mkdir -p " + Actions.FOLLOW_UPS + " && touch " + marker,
                        "(upload) /tmp/kk-install-"
                                + plan.files().get(0).sha256().substring(0, 16) + "/runc.amd64",
                        RESTART,
                        "rm -f " + marker);
        assertThat(host.files).doesNotContainKey(marker);

        // what a kill after the install and before the restart leaves: binaries in place, marker set
        FakeHost killed = new FakeHost("node1");
        killed.files.put(marker, "");
        assertThat(apply(killed, a)).isEqualTo(Outcome.CHANGED);
        assertThat(killed.commands()).contains(RESTART).noneMatch(c -> c.startsWith("(upload)"));
        assertThat(killed.files).doesNotContainKey(marker);

        killed.clearCommands();
        assertThat(apply(killed, a)).isEqualTo(Outcome.UNCHANGED);
        assertThat(killed.commands()).doesNotContain(RESTART);
    }

    private static Outcome apply(FakeHost host, Action a) {
        return a.apply(HostContext.forTest(HOST, host.open(), EventSink.NONE, Clock.systemUTC()))
                .outcome();
    }
}
