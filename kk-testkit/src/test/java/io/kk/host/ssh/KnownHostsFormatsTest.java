package io.kk.host.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kk.error.ErrorKind;
import io.kk.error.KkException;
import io.kk.event.Event;
import io.kk.host.HostAccess;
import io.kk.host.Remote;
import io.kk.host.RemoteCommand;
import io.kk.testkit.ssh.SshTestServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** known_hosts as OpenSSH writes it: hashed names, [host]:port, @revoked, several key types per host. */
class KnownHostsFormatsTest {
    @TempDir
    Path kkDir;

    private final List<AutoCloseable> toClose = new ArrayList<>();
    private final List<Event> events = new CopyOnWriteArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    private SshTestServer server(SshTestServer.Config config) {
        SshTestServer s = SshTestServer.start(config.password("root", "Secret-Pw-9"));
        toClose.add(s);
        return s;
    }

    private Remote remote(SshTestServer s, Path userKnownHosts) {
        SshRemoteFactory.Options o = SshRemoteFactory.Options.of(kkDir.resolve("known_hosts"), events::add);
        if (userKnownHosts != null) {
            o = o.withReadOnlyKnownHosts(userKnownHosts);
        }
        SshRemoteFactory f = new SshRemoteFactory(o);
        toClose.add(f);
        return f.remote(HostAccess.of("node1", "127.0.0.1").withPort(s.port()).withPassword("Secret-Pw-9"));
    }

    private static String echo(Remote r) {
        return r.run(RemoteCommand.plain("echo ok"))
                .orThrow(r.hostName(), "echo")
                .stdout();
    }

    /** {@code |1|salt|hmac} as OpenSSH's HashKnownHosts writes it. */
    private static String hashed(String hostToken) throws Exception {
        byte[] salt = new byte[20];
        new java.security.SecureRandom().nextBytes(salt);
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(salt, "HmacSHA1"));
        byte[] h = mac.doFinal(hostToken.getBytes(StandardCharsets.UTF_8));
        return "|1|" + Base64.getEncoder().encodeToString(salt) + "|"
                + Base64.getEncoder().encodeToString(h);
    }

    private static KeyPair ed25519() throws Exception {
        return KeyUtils.generateKeyPair(KeyPairProviderNames.ED25519, 256);
    }

    /** Key type names (kept here so the test reads plainly). */
    private static final class KeyPairProviderNames {
        static final String ED25519 = "ssh-ed25519";
    }

    @Test
    void aHashedEntryForANonDefaultPortIsTrustedSilently() throws Exception {
        SshTestServer s = server(SshTestServer.config());
        Path user = kkDir.resolve("user_known_hosts");
        Files.writeString(
                user,
                hashed("[127.0.0.1]:" + s.port()) + " "
                        + PublicKeyEntry.toString(s.hostKey().getPublic()) + "\n");
        assertThat(echo(remote(s, user))).isEqualTo("ok\n");
        assertThat(events).isEmpty();
        assertThat(kkDir.resolve("known_hosts")).doesNotExist();
    }

    @Test
    void aHashedEntryWithAnotherKeyIsAChangedKeyRefusedBeforeAnyPassword() throws Exception {
        SshTestServer s = server(SshTestServer.config());
        Path user = kkDir.resolve("user_known_hosts");
        Files.writeString(
                user,
                "# mine\n" + hashed("[127.0.0.1]:" + s.port()) + " "
                        + PublicKeyEntry.toString(SshTestServer.newHostKey().getPublic()) + "\n");
        Remote r = remote(s, user);
        assertThatThrownBy(() -> echo(r))
                .isInstanceOf(KkException.class)
                .hasMessageContaining("host key of node1 ([127.0.0.1]:" + s.port() + ") has changed")
                .hasMessageContaining(user + " line 2")
                .satisfies(e -> assertThat(((KkException) e).kind()).isEqualTo(ErrorKind.ENVIRONMENT));
        assertThat(s.loginPasswordsSeen()).isEmpty();
        assertThat(s.commandLines()).isEmpty();
    }

    @Test
    void anEntryForPort22DoesNotVouchForAnotherPort() throws Exception {
        SshTestServer s = server(SshTestServer.config());
        Path user = kkDir.resolve("user_known_hosts");
        // the same address without a port means port 22 only: another port is a host of its own
        Files.writeString(
                user,
                "127.0.0.1 "
                        + PublicKeyEntry.toString(SshTestServer.newHostKey().getPublic()) + "\n");
        assertThat(echo(remote(s, user))).isEqualTo("ok\n");
        assertThat(Files.readString(kkDir.resolve("known_hosts"))).startsWith("[127.0.0.1]:" + s.port() + " ");
    }

    @Test
    void aRevokedKeyIsRefusedBeforeAnyPasswordEvenWhenAlsoListedAsKnown() throws Exception {
        SshTestServer s = server(SshTestServer.config());
        String key = PublicKeyEntry.toString(s.hostKey().getPublic());
        Path user = kkDir.resolve("user_known_hosts");
        Files.writeString(user, "[127.0.0.1]:" + s.port() + " " + key + "\n@revoked * " + key + "\n");
        Remote r = remote(s, user);
        assertThatThrownBy(() -> echo(r))
                .isInstanceOf(KkException.class)
                .hasMessageContaining("is marked @revoked in " + user + " line 2")
                .hasMessageContaining(HostKeys.describe(s.hostKey().getPublic()))
                .satisfies(e -> assertThat(((KkException) e).kind()).isEqualTo(ErrorKind.ENVIRONMENT));
        assertThat(s.loginPasswordsSeen()).isEmpty();
        assertThat(kkDir.resolve("known_hosts")).doesNotExist();
    }

    @Test
    void aCertAuthorityLineIsNotTakenForTheHostsKey() throws Exception {
        SshTestServer s = server(SshTestServer.config());
        Path user = kkDir.resolve("user_known_hosts");
        Files.writeString(
                user,
                "@cert-authority * "
                        + PublicKeyEntry.toString(SshTestServer.newHostKey().getPublic()) + "\n");
        // a CA line is no host key: first contact, recorded and said
        assertThat(echo(remote(s, user))).isEqualTo("ok\n");
        assertThat(events).hasSize(1);
        assertThat(events.get(0).toString()).contains("permanently added host key for node1");
    }

    @Test
    void aHostWithSeveralKeyTypesIsCheckedAgainstTheTypeOnRecord() throws Exception {
        KeyPair ed = ed25519();
        SshTestServer s = server(SshTestServer.config().extraHostKey(ed));
        // Only the host's ed25519 key is on record; left alone, key exchange picks its ECDSA key.
        Files.writeString(
                kkDir.resolve("known_hosts"),
                "[127.0.0.1]:" + s.port() + " " + PublicKeyEntry.toString(ed.getPublic()) + "\n");
        assertThat(echo(remote(s, null))).isEqualTo("ok\n");
        assertThat(events).isEmpty();
        assertThat(Files.readAllLines(kkDir.resolve("known_hosts"))).hasSize(1);
    }

    @Test
    void aHostThatNoLongerOffersTheTypeOnRecordIsRefused() throws Exception {
        SshTestServer s = server(SshTestServer.config());
        Files.writeString(
                kkDir.resolve("known_hosts"),
                "[127.0.0.1]:" + s.port() + " "
                        + PublicKeyEntry.toString(ed25519().getPublic()) + "\n");
        Remote r = remote(s, null);
        assertThatThrownBy(() -> echo(r))
                .isInstanceOf(KkException.class)
                .hasMessageContaining("has changed: known as ED25519 SHA256:")
                .hasMessageContaining("now offering ECDSA SHA256:");
        assertThat(s.loginPasswordsSeen()).isEmpty();
    }
}
