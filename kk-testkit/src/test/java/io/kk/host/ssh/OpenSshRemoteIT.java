package io.kk.host.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kk.error.ErrorKind;
import io.kk.error.KkException;
import io.kk.event.EventSink;
import io.kk.host.HostAccess;
import io.kk.host.Remote;
import io.kk.host.RemoteCommand;
import io.kk.host.RemoteConnectionException;
import io.kk.host.UploadResult;
import io.kk.testkit.ssh.LinuxUser;
import io.kk.testkit.ssh.OpenSshServer;
import io.kk.testkit.ssh.TestKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The contract against a real OpenSSH sshd on loopback, plus what only a real server shows: real
 * sudo (with Debian's use_pty) for a real non-root user, keys as OpenSSH reads them, a host key
 * changed by restarting sshd. Needs root (CI runs as root).
 */
class OpenSshRemoteIT extends RemoteContract {
    private static final String USER = "kk-ssh-it";
    private static final String USER_PASSWORD = "Kk-it-pw-7";

    @TempDir
    static Path keys;

    private static TestKeys.KeyFiles ed25519;
    private static TestKeys.KeyFiles rsaPem;
    private static OpenSshServer sshd;
    private static LinuxUser sudoer;

    @TempDir
    Path kkDir;

    private SshRemoteFactory factory;

    @BeforeAll
    static void startSshd() throws Exception {
        assertThat(System.getProperty("user.name"))
                .as("this test needs root, as CI has")
                .isEqualTo("root");
        ed25519 = TestKeys.ed25519(keys, "id_ed25519");
        rsaPem = TestKeys.rsaPem(keys, "id_rsa");
        try {
            sudoer = LinuxUser.createSudoer(USER, USER_PASSWORD);
            sshd = OpenSshServer.start(List.of(ed25519.publicKeyLine(), rsaPem.publicKeyLine()), 0);
        } catch (Exception | AssertionError e) {
            stopSshd();
            throw e;
        }
    }

    @AfterAll
    static void stopSshd() throws Exception {
        try {
            if (sshd != null) {
                sshd.close();
            }
        } finally {
            if (sudoer != null) {
                sudoer.close();
            }
        }
    }

    @BeforeEach
    void openFactory() {
        factory = new SshRemoteFactory(SshRemoteFactory.Options.of(kkDir.resolve("known_hosts"), EventSink.NONE));
    }

    @AfterEach
    void closeFactory() {
        factory.close();
    }

    private static HostAccess node(String name) {
        return HostAccess.of(name, "127.0.0.1").withPort(sshd.port());
    }

    @Override
    protected Remote root() {
        return factory.remote(node("node1").withPrivateKeyPath(ed25519.privateKey()));
    }

    @Override
    protected Remote sudoer() {
        return factory.remote(node("node2").withUser(USER).withPassword(USER_PASSWORD));
    }

    @Override
    protected String sudoRunsAs() {
        return "root";
    }

    @Override
    protected int connectionsAccepted() {
        return sshd.acceptedLogins();
    }

    @Test
    void logsInWithAPemRsaKey() {
        Remote r = factory.remote(node("node3").withPrivateKeyPath(rsaPem.privateKey()));
        assertThat(r.run(RemoteCommand.plain("id -un")).stdout()).isEqualTo("root\n");
    }

    @Test
    void logsInWithAPassword() {
        Remote r = sudoer();
        assertThat(r.run(RemoteCommand.plain("id -un")).stdout()).isEqualTo(USER + "\n");
    }

    @Test
    void aWrongPasswordIsAClearError() {
        Remote r = factory.remote(node("node4").withUser(USER).withPassword("not-it"));
        assertThatThrownBy(() -> r.run(RemoteCommand.plain("true")))
                .isInstanceOf(KkException.class)
                .hasMessage("authentication failed for " + USER + "@127.0.0.1:" + sshd.port() + " with password")
                .satisfies(e -> assertThat(((KkException) e).kind()).isEqualTo(ErrorKind.ENVIRONMENT));
    }

    @Test
    void recordsTheRealHostKeyOnFirstContact() throws Exception {
        root().run(RemoteCommand.plain("true"));
        String[] hostKey = sshd.hostKeyLine().split(" ");
        assertThat(Files.readAllLines(kkDir.resolve("known_hosts")))
                .containsExactly("[127.0.0.1]:" + sshd.port() + " " + hostKey[0] + " " + hostKey[1]);
    }

    @Test
    void aNonRootUserUploadsIntoARootOwnedDirectoryThroughSudo() throws Exception {
        Path dir = Files.createDirectories(scratch.resolve("etc/kk"));
        Files.setPosixFilePermissions(scratch, PosixFilePermissions.fromString("rwx------"));
        Path local = Files.writeString(scratch.resolve("kubelet.conf"), "x=1\n");
        String dest = dir.resolve("kubelet.conf").toString();
        Remote r = sudoer();

        assertThat(r.upload(local, dest, 0640)).isEqualTo(UploadResult.UPLOADED);
        PosixFileAttributes attrs = Files.readAttributes(Path.of(dest), PosixFileAttributes.class);
        assertThat(attrs.owner().getName()).isEqualTo("root");
        assertThat(PosixFilePermissions.toString(attrs.permissions())).isEqualTo("rw-r-----");
        assertThat(Files.readString(Path.of(dest))).isEqualTo("x=1\n");

        assertThat(r.upload(local, dest, 0640)).isEqualTo(UploadResult.UNCHANGED);
        try (Stream<Path> left = Files.list(dir)) {
            assertThat(left.map(p -> p.getFileName().toString())).containsExactly("kubelet.conf");
        }
        try (Stream<Path> tmp = Files.list(Path.of("/tmp"))) {
            assertThat(tmp.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("kk-upload."));
        }
    }

    @Test
    void aChangedHostKeyIsRefusedAfterSshdRestartsWithANewOne() throws Exception {
        Path knownHosts = kkDir.resolve("known_hosts");
        root().run(RemoteCommand.plain("true"));
        factory.close();
        int port = sshd.port();
        sshd.close();
        sshd = OpenSshServer.start(List.of(ed25519.publicKeyLine(), rsaPem.publicKeyLine()), port);
        factory = new SshRemoteFactory(SshRemoteFactory.Options.of(knownHosts, EventSink.NONE));
        assertThatThrownBy(() -> root().run(RemoteCommand.plain("true")))
                .isInstanceOf(KkException.class)
                .isNotInstanceOf(RemoteConnectionException.class)
                .hasMessageContaining("host key of node1 ([127.0.0.1]:" + port + ") has changed")
                .hasMessageContaining(knownHosts + " line 1");
    }
}
