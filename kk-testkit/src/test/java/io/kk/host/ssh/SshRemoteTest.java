package io.kk.host.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kk.error.ErrorKind;
import io.kk.error.KkException;
import io.kk.event.Event;
import io.kk.event.Note;
import io.kk.host.CommandResult;
import io.kk.host.HostAccess;
import io.kk.host.Remote;
import io.kk.host.RemoteCommand;
import io.kk.host.RemoteConnectionException;
import io.kk.testkit.ssh.SshTestServer;
import io.kk.testkit.ssh.TestKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Logins, host keys and faults against the in-process server. */
class SshRemoteTest {
    @TempDir
    static Path keys;

    private static TestKeys.KeyFiles ed25519;
    private static TestKeys.KeyFiles rsaPem;
    private static TestKeys.KeyFiles rsaOpenSsh;

    @TempDir
    Path kkDir;

    private final List<AutoCloseable> toClose = new ArrayList<>();
    private final List<Event> events = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void makeKeys() {
        ed25519 = TestKeys.ed25519(keys, "id_ed25519");
        rsaPem = TestKeys.rsaPem(keys, "id_rsa_pem");
        rsaOpenSsh = TestKeys.rsaOpenSsh(keys, "id_rsa");
    }

    @AfterEach
    void closeAll() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    private SshTestServer server(SshTestServer.Config config) {
        SshTestServer s = SshTestServer.start(config);
        toClose.add(s);
        return s;
    }

    private SshRemoteFactory factory() {
        return factory(SshRemoteFactory.Options.of(kkDir.resolve("known_hosts"), events::add));
    }

    private SshRemoteFactory factory(SshRemoteFactory.Options options) {
        SshRemoteFactory f = new SshRemoteFactory(options);
        toClose.add(f);
        return f;
    }

    private static HostAccess host(String name, SshTestServer s) {
        return HostAccess.of(name, "127.0.0.1").withPort(s.port());
    }

    private static String whoami(Remote r) {
        return r.run(RemoteCommand.plain("echo logged-in"))
                .orThrow(r.hostName(), "echo")
                .stdout();
    }

    @Test
    void logsInWithAPassword() {
        SshTestServer s = server(SshTestServer.config().password("root", "s3cret"));
        assertThat(whoami(factory().remote(host("node1", s).withPassword("s3cret"))))
                .isEqualTo("logged-in\n");
    }

    @Test
    void answersKeyboardInteractiveWithThePassword() {
        SshTestServer s =
                server(SshTestServer.config().password("root", "s3cret").keyboardInteractiveOnly());
        assertThat(whoami(factory().remote(host("node1", s).withPassword("s3cret"))))
                .isEqualTo("logged-in\n");
    }

    @Test
    void logsInWithAnOpenSshEd25519KeyFile() {
        SshTestServer s = server(SshTestServer.config().authorizedKey(ed25519.publicKey()));
        assertThat(whoami(factory().remote(host("node1", s).withPrivateKeyPath(ed25519.privateKey()))))
                .isEqualTo("logged-in\n");
    }

    @Test
    void logsInWithAPemRsaKeyGivenAsText() {
        SshTestServer s = server(SshTestServer.config().authorizedKey(rsaPem.publicKey()));
        assertThat(rsaPem.privateKeyText()).startsWith("-----BEGIN RSA PRIVATE KEY-----");
        assertThat(whoami(factory().remote(host("node1", s).withPrivateKey(rsaPem.privateKeyText()))))
                .isEqualTo("logged-in\n");
    }

    @Test
    void logsInWithAnOpenSshRsaKeyFile() {
        SshTestServer s = server(SshTestServer.config().authorizedKey(rsaOpenSsh.publicKey()));
        assertThat(whoami(factory().remote(host("node1", s).withPrivateKeyPath(rsaOpenSsh.privateKey()))))
                .isEqualTo("logged-in\n");
    }

    @Test
    void aWrongPasswordIsAClearErrorThatDoesNotShowThePassword() {
        SshTestServer s = server(SshTestServer.config().password("root", "right"));
        Remote r = factory().remote(host("node1", s).withPassword("wrong-Pa55"));
        assertThatThrownBy(() -> r.run(RemoteCommand.plain("true")))
                .isInstanceOf(KkException.class)
                .isNotInstanceOf(RemoteConnectionException.class)
                .hasMessage("authentication failed for root@127.0.0.1:" + s.port() + " with password")
                .satisfies(e -> {
                    KkException k = (KkException) e;
                    assertThat(k.kind()).isEqualTo(ErrorKind.ENVIRONMENT);
                    assertThat(k.hint()).contains("spec.hosts[]").contains("password");
                    assertThat(k.hint() + k.getMessage()).doesNotContain("wrong-Pa55");
                });
    }

    @Test
    void aWrongKeyIsAClearError() {
        SshTestServer s = server(SshTestServer.config().authorizedKey(rsaPem.publicKey()));
        Remote r = factory().remote(host("node1", s).withPrivateKeyPath(ed25519.privateKey()));
        assertThatThrownBy(() -> r.run(RemoteCommand.plain("true")))
                .isInstanceOf(KkException.class)
                .hasMessage("authentication failed for root@127.0.0.1:" + s.port() + " with private key "
                        + ed25519.privateKey());
    }

    @Test
    void nothingListeningIsAConnectionErrorNamingTheHost() throws Exception {
        int port;
        try (var socket = new java.net.ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Remote r = factory()
                .remote(HostAccess.of("node9", "127.0.0.1").withPort(port).withPassword("x"));
        assertThatThrownBy(() -> r.run(RemoteCommand.plain("true")))
                .isInstanceOf(RemoteConnectionException.class)
                .hasMessageContaining("cannot connect to node9 (root@127.0.0.1:" + port + ")")
                .satisfies(e -> assertThat(((KkException) e).kind()).isEqualTo(ErrorKind.ENVIRONMENT));
    }

    @Test
    void aServerThatNeverAnswersHitsTheConnectTimeout() throws Exception {
        try (var silent = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            // accepts the TCP connection (the kernel does) but never says a word of SSH
            Remote r = factory()
                    .remote(HostAccess.of("node7", "127.0.0.1")
                            .withPort(silent.getLocalPort())
                            .withPassword("x")
                            .withConnectTimeout(java.time.Duration.ofSeconds(1)));
            assertThatThrownBy(() -> r.run(RemoteCommand.plain("true")))
                    .isInstanceOf(RemoteConnectionException.class)
                    .hasMessage("cannot log in to node7 (root@127.0.0.1:" + silent.getLocalPort()
                            + ") within 1s: the SSH server does not answer");
        }
    }

    @Test
    void firstContactRecordsTheHostKeyAndSaysSo() throws Exception {
        SshTestServer s = server(SshTestServer.config().password("root", "pw"));
        Path knownHosts = kkDir.resolve("known_hosts");
        whoami(factory().remote(host("node1", s).withPassword("pw")));

        String fingerprint = HostKeys.describe(s.hostKey().getPublic());
        assertThat(fingerprint).startsWith("ECDSA SHA256:");
        assertThat(events)
                .containsExactly(Note.info("permanently added host key for node1 ([127.0.0.1]:" + s.port() + ") ("
                        + fingerprint + ") to " + knownHosts));
        List<String> lines = Files.readAllLines(knownHosts);
        assertThat(lines).hasSize(1);
        assertThat(lines.get(0)).startsWith("[127.0.0.1]:" + s.port() + " ecdsa-sha2-nistp256 AAAA");

        // a second run trusts the recorded key silently
        events.clear();
        whoami(factory().remote(host("node1", s).withPassword("pw")));
        assertThat(events).isEmpty();
        assertThat(Files.readAllLines(knownHosts)).hasSize(1);
    }

    @Test
    void aChangedHostKeyIsRefusedNamingTheHostTheFingerprintsAndTheLineToRemove() throws Exception {
        SshTestServer first = server(SshTestServer.config().password("root", "pw"));
        int port = first.port();
        whoami(factory().remote(host("node1", first).withPassword("pw")));
        String oldPrint = HostKeys.describe(first.hostKey().getPublic());
        first.close();

        KeyPair newKey = SshTestServer.newHostKey();
        SshTestServer second = server(
                SshTestServer.config().password("root", "pw").hostKey(newKey).port(port));
        String newPrint = HostKeys.describe(newKey.getPublic());
        Path knownHosts = kkDir.resolve("known_hosts");
        Remote r = factory().remote(host("node1", second).withPassword("pw"));
        assertThatThrownBy(() -> r.run(RemoteCommand.plain("true")))
                .isInstanceOf(KkException.class)
                .isNotInstanceOf(RemoteConnectionException.class)
                .hasMessageContaining("host key of node1 ([127.0.0.1]:" + port + ") has changed")
                .hasMessageContaining(oldPrint)
                .hasMessageContaining(newPrint)
                .hasMessageContaining(knownHosts + " line 1")
                .satisfies(e -> {
                    KkException k = (KkException) e;
                    assertThat(k.kind()).isEqualTo(ErrorKind.ENVIRONMENT);
                    assertThat(k.hint())
                            .contains("ssh-keygen -R '[127.0.0.1]:" + port + "' -f " + knownHosts)
                            .contains("delete line 1 of " + knownHosts);
                });
        assertThat(second.commandLines()).as("nothing ran on the impostor").isEmpty();
        assertThat(second.loginPasswordsSeen())
                .as("refused before authentication")
                .isEmpty();
    }

    @Test
    void skippingTheHostKeyCheckAcceptsAnyKeyAndRecordsNothing() throws Exception {
        SshTestServer s = server(SshTestServer.config().password("root", "pw"));
        Path knownHosts = kkDir.resolve("known_hosts");
        Files.writeString(
                knownHosts,
                "[127.0.0.1]:" + s.port() + " "
                        + TestKeys.ed25519(kkDir, "other").publicKeyLine() + "\n");
        String before = Files.readString(knownHosts);
        SshRemoteFactory f =
                factory(SshRemoteFactory.Options.of(knownHosts, events::add).withInsecureSkipHostKeyCheck(true));
        assertThat(whoami(f.remote(host("node1", s).withPassword("pw")))).isEqualTo("logged-in\n");
        assertThat(Files.readString(knownHosts)).isEqualTo(before);
        assertThat(events).isEmpty();
    }

    @Test
    void theUsersKnownHostsIsTrustedButNotWritten() throws Exception {
        SshTestServer s = server(SshTestServer.config().password("root", "pw"));
        Path userKnownHosts = kkDir.resolve("user_known_hosts");
        String line = "[127.0.0.1]:" + s.port() + " "
                + org.apache.sshd.common.config.keys.PublicKeyEntry.toString(
                        s.hostKey().getPublic()) + "\n";
        Files.writeString(userKnownHosts, "# mine\n" + line);
        Path knownHosts = kkDir.resolve("known_hosts");
        SshRemoteFactory f =
                factory(SshRemoteFactory.Options.of(knownHosts, events::add).withReadOnlyKnownHosts(userKnownHosts));
        whoami(f.remote(host("node1", s).withPassword("pw")));
        assertThat(events).isEmpty();
        assertThat(knownHosts).doesNotExist();
        assertThat(Files.readString(userKnownHosts)).isEqualTo("# mine\n" + line);
    }

    @Test
    void aDroppedConnectionMidCommandIsAConnectionErrorAndTheNextCallReconnects() throws Exception {
        SshTestServer s = server(SshTestServer.config().password("root", "pw"));
        Remote r = factory().remote(host("node1", s).withPassword("pw"));
        CompletableFuture<CommandResult> running =
                CompletableFuture.supplyAsync(() -> r.run(RemoteCommand.plain("sleep 60")));
        assertThat(s.awaitCommandStarted(30)).as("the command started").contains("sleep 60");
        s.dropAllConnections();
        assertThatThrownBy(() -> running.get(30, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause()
                .isInstanceOf(RemoteConnectionException.class)
                .hasMessageContaining("node1: connection lost while running `sleep 60`");
        assertThat(whoami(r)).isEqualTo("logged-in\n");
        assertThat(s.sessionsOpened()).isEqualTo(2);
    }

    @Test
    void tunnelsThroughAJumpHost() throws Exception {
        SshTestServer bastion = server(SshTestServer.config().password("jump", "jump-pw"));
        SshTestServer target = server(SshTestServer.config().authorizedKey(ed25519.publicKey()));
        HostAccess jump = HostAccess.of("bastion", "127.0.0.1")
                .withPort(bastion.port())
                .withUser("jump")
                .withPassword("jump-pw");
        Remote r = factory()
                .remote(host("node1", target)
                        .withPrivateKeyPath(ed25519.privateKey())
                        .withJump(jump));
        assertThat(whoami(r)).isEqualTo("logged-in\n");
        assertThat(bastion.sessionsOpened()).isEqualTo(1);
        assertThat(bastion.commandLines()).as("the bastion only forwards").isEmpty();
        assertThat(target.commandLines()).hasSize(1);
        // both host keys are recorded under their real addresses, not the tunnel's local end
        assertThat(Files.readAllLines(kkDir.resolve("known_hosts")))
                .extracting(l -> l.split(" ")[0])
                .containsExactlyInAnyOrder("[127.0.0.1]:" + bastion.port(), "[127.0.0.1]:" + target.port());
    }

    @Test
    void sudoGetsItsPasswordOnStdinNeverOnTheCommandLine() {
        SshTestServer s =
                server(SshTestServer.config().password("deploy", "login-pw").sudoPassword("sudo-Pw"));
        Remote r = factory()
                .remote(host("node1", s)
                        .withUser("deploy")
                        .withPassword("login-pw")
                        .withSudoPassword("sudo-Pw"));
        CommandResult res = r.run(RemoteCommand.sudo("cat").withStdin("payload\n"));
        assertThat(res.stdout()).isEqualTo("payload\n");
        assertThat(s.sudoPasswordsSeen()).isNotEmpty().allMatch("sudo-Pw"::equals);
        assertThat(s.commandLines()).isNotEmpty().noneMatch(l -> l.contains("sudo-Pw") || l.contains("login-pw"));
        assertThat(s.commandLines()).anyMatch(l -> l.startsWith("sudo -k -S -p '' "));
    }

    @Test
    void sudoWithoutAPasswordFeedsNone() {
        SshTestServer s = server(SshTestServer.config().password("deploy", "login-pw"));
        Remote r = factory().remote(host("node1", s).withUser("deploy").withPassword("login-pw"));
        assertThat(r.run(RemoteCommand.sudo("cat").withStdin("payload\n")).stdout())
                .isEqualTo("payload\n");
        assertThat(s.sudoPasswordsSeen()).isEmpty();
    }

    @Test
    void aRefusedSudoPasswordIsAClearErrorWithoutThePassword() {
        SshTestServer s =
                server(SshTestServer.config().password("deploy", "login-pw").sudoPassword("the-right-one"));
        Remote r = factory().remote(host("node1", s).withUser("deploy").withPassword("login-pw"));
        assertThatThrownBy(() -> r.run(RemoteCommand.sudo("true")))
                .isInstanceOf(KkException.class)
                .hasMessage("sudo on node1 refused deploy with the given password")
                .satisfies(e -> assertThat(((KkException) e).hint()).doesNotContain("login-pw"));
    }

    @Test
    void rootNeverGoesThroughSudo() {
        SshTestServer s = server(SshTestServer.config().password("root", "pw").sudoPassword("x"));
        Remote r = factory().remote(host("node1", s).withPassword("pw"));
        r.run(RemoteCommand.sudo("true")).orThrow("node1", "true");
        assertThat(s.commandLines()).noneMatch(l -> l.contains("sudo"));
    }

    @Test
    void theFactoryKeepsOneRemotePerHostAndClosesThemAll() {
        SshTestServer s = server(SshTestServer.config().password("root", "pw"));
        SshRemoteFactory f = factory();
        Remote a = f.remote(host("node1", s).withPassword("pw"));
        assertThat(f.remote(host("node1", s).withPassword("pw"))).isSameAs(a);
        whoami(a);
        f.close();
        assertThatThrownBy(() -> f.remote(host("node1", s).withPassword("pw"))).isInstanceOf(KkException.class);
    }

    @Test
    void aSensitiveCommandIsNotShownWhenItTimesOut() {
        SshTestServer s = server(SshTestServer.config().password("root", "pw"));
        Remote r = factory().remote(host("node1", s).withPassword("pw"));
        RemoteCommand secret =
                new RemoteCommand("sleep 30 # token=abc123", false, java.time.Duration.ofSeconds(1), "", true);
        assertThatThrownBy(() -> r.run(secret))
                .isInstanceOf(KkException.class)
                .hasMessageNotContaining("abc123")
                .hasMessageContaining("not shown");
    }

    @Test
    void aTildeInTheKeyPathMeansTheHomeDirectory() {
        assertThat(SshRemote.expandHome(Path.of("~/.ssh/id_rsa")))
                .isEqualTo(Path.of(System.getProperty("user.home"), ".ssh/id_rsa"));
        assertThat(SshRemote.expandHome(Path.of("/etc/key"))).isEqualTo(Path.of("/etc/key"));
    }

    @Test
    void aMissingKeyFileIsBadInputNamingIt() {
        SshTestServer s = server(SshTestServer.config());
        Path missing = kkDir.resolve("no-such-key");
        Remote r = factory().remote(host("node1", s).withPrivateKeyPath(missing));
        assertThatThrownBy(() -> r.run(RemoteCommand.plain("true")))
                .isInstanceOf(KkException.class)
                .hasMessageContaining("cannot read private key " + missing + " for node1")
                .satisfies(e -> assertThat(((KkException) e).kind()).isEqualTo(ErrorKind.INVALID_INPUT));
    }

    @Test
    void hostAccessNeverPrintsSecrets() {
        HostAccess h = HostAccess.of("node1", "10.0.0.1")
                .withPassword("pw-123")
                .withPrivateKey("-----BEGIN KEY-----")
                .withSudoPassword("sudo-456");
        assertThat(h.toString())
                .doesNotContain("pw-123")
                .doesNotContain("BEGIN")
                .doesNotContain("sudo-456")
                .contains("root@10.0.0.1:22");
    }

    @Test
    void aSecretFileIsWrittenUnreadableToOthersFromItsFirstByte() throws Exception {
        SshTestServer s = server(SshTestServer.config().password("root", "pw"));
        Path local = kkDir.resolve("config.toml");
        Files.writeString(local, "password = \"registry-secret\"\n");
        Path dest = kkDir.resolve("etc/containerd/config.toml");
        Remote r = factory().remote(host("node1", s).withPassword("pw"));
        r.upload(local, dest.toString(), 0600);
        assertThat(Files.readString(dest)).contains("registry-secret");
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(dest)))
                .isEqualTo("rw-------");
        // the temp file the content is streamed into is created under umask 077: before its final
        // chmod it is never readable by others (the login user's umask is often 022)
        assertThat(s.commandLines())
                .filteredOn(l -> l.contains("cat > "))
                .isNotEmpty()
                .allSatisfy(l -> assertThat(l).startsWith("umask 077 && cat > "));
    }
}
