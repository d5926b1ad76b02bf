package io.kk.testkit.ssh;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.session.SessionListener;
import org.apache.sshd.server.Environment;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.auth.UserAuthFactory;
import org.apache.sshd.server.auth.keyboard.DefaultKeyboardInteractiveAuthenticator;
import org.apache.sshd.server.auth.keyboard.UserAuthKeyboardInteractiveFactory;
import org.apache.sshd.server.auth.password.UserAuthPasswordFactory;
import org.apache.sshd.server.auth.pubkey.UserAuthPublicKeyFactory;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;
import org.apache.sshd.server.forward.AcceptAllForwardingFilter;
import org.apache.sshd.sftp.server.SftpSubsystemFactory;

/**
 * An in-process SSH server on a free loopback port for fast tests and fault injection. Commands run
 * for real with {@code /bin/bash -c} as the JVM's user; SFTP serves the real file system. It can
 * drop every connection on demand, swap its host key by restarting, and fake {@code sudo -S} (so the
 * password handling is visible: the fake reads the password line from stdin and records it).
 *
 * <p>Close it in {@code @AfterAll}/{@code @AfterEach}: closing also kills every process it started.
 */
public final class SshTestServer implements AutoCloseable {

    /** Who may log in and how. */
    public static final class Config {
        private final Map<String, String> passwords = new HashMap<>();
        private final List<PublicKey> authorizedKeys = new ArrayList<>();
        private boolean passwordAuth = true;
        private boolean keyboardInteractive = true;
        private String sudoPassword;
        private KeyPair hostKey;
        private final List<KeyPair> extraHostKeys = new ArrayList<>();
        private int port;

        public Config password(String user, String password) {
            passwords.put(user, password);
            return this;
        }

        public Config authorizedKey(PublicKey key) {
            authorizedKeys.add(key);
            return this;
        }

        /** Offer only keyboard-interactive for passwords (as servers with PAM often do). */
        public Config keyboardInteractiveOnly() {
            passwordAuth = false;
            keyboardInteractive = true;
            return this;
        }

        /** The fake sudo asks for this password (null: sudo asks none, like NOPASSWD). */
        public Config sudoPassword(String password) {
            sudoPassword = password;
            return this;
        }

        public Config hostKey(KeyPair key) {
            hostKey = key;
            return this;
        }

        /** A further host key of another type (a host offers one per type, as OpenSSH's do). */
        public Config extraHostKey(KeyPair key) {
            extraHostKeys.add(key);
            return this;
        }

        /** A fixed port (to restart on the same one); 0 picks a free port. */
        public Config port(int p) {
            port = p;
            return this;
        }
    }

    private final Config config;
    private final SshServer server;
    private final KeyPair hostKey;
    private final List<Process> processes = new CopyOnWriteArrayList<>();
    private final List<String> commandLines = new CopyOnWriteArrayList<>();
    private final BlockingQueue<String> started = new LinkedBlockingQueue<>();
    private final List<String> sudoPasswordsSeen = new CopyOnWriteArrayList<>();
    private final List<String> passwordsSeen = new CopyOnWriteArrayList<>();
    private final AtomicInteger sessionsOpened = new AtomicInteger();

    private SshTestServer(Config config) throws IOException, GeneralSecurityException {
        this.config = config;
        this.hostKey = config.hostKey != null ? config.hostKey : newHostKey();
        server = SshServer.setUpDefaultServer();
        server.setHost("127.0.0.1");
        server.setPort(config.port);
        List<KeyPair> hostKeys = new ArrayList<>(List.of(hostKey));
        hostKeys.addAll(config.extraHostKeys);
        server.setKeyPairProvider(KeyPairProvider.wrap(hostKeys));
        server.setPasswordAuthenticator((user, password, session) -> {
            passwordsSeen.add(password);
            return password != null && password.equals(config.passwords.get(user));
        });
        server.setPublickeyAuthenticator(
                (user, key, session) -> config.authorizedKeys.stream().anyMatch(k -> KeyUtils.compareKeys(k, key)));
        server.setKeyboardInteractiveAuthenticator(new DefaultKeyboardInteractiveAuthenticator());
        List<UserAuthFactory> auths = new ArrayList<>();
        auths.add(UserAuthPublicKeyFactory.INSTANCE);
        if (config.passwordAuth) {
            auths.add(UserAuthPasswordFactory.INSTANCE);
        }
        if (config.keyboardInteractive) {
            auths.add(UserAuthKeyboardInteractiveFactory.INSTANCE);
        }
        server.setUserAuthFactories(auths);
        server.setCommandFactory((channel, command) -> new BashCommand(command));
        server.setSubsystemFactories(List.of(new SftpSubsystemFactory()));
        server.setForwardingFilter(AcceptAllForwardingFilter.INSTANCE);
        server.addSessionListener(new SessionListener() {
            @Override
            public void sessionCreated(Session session) {
                sessionsOpened.incrementAndGet();
            }
        });
        server.start();
    }

    public static SshTestServer start(Config config) {
        try {
            return new SshTestServer(config);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot start the test SSH server: " + e.getMessage(), e);
        }
    }

    public static Config config() {
        return new Config();
    }

    /** A fresh ECDSA host key (fast to make). */
    public static KeyPair newHostKey() {
        try {
            return KeyUtils.generateKeyPair(KeyPairProvider.ECDSA_SHA2_NISTP256, 256);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public int port() {
        return server.getPort();
    }

    public KeyPair hostKey() {
        return hostKey;
    }

    /** Every exec command line received, in order (to prove what never went on a command line). */
    public List<String> commandLines() {
        return List.copyOf(commandLines);
    }

    /** Passwords offered by clients for login (password authentication), in order. */
    public List<String> loginPasswordsSeen() {
        return List.copyOf(passwordsSeen);
    }

    /** Passwords the fake sudo read from stdin. */
    public List<String> sudoPasswordsSeen() {
        return List.copyOf(sudoPasswordsSeen);
    }

    /** SSH connections accepted so far. */
    public int sessionsOpened() {
        return sessionsOpened.get();
    }

    /** Waits until an exec command has started, returns its line (null after the wait). */
    public String awaitCommandStarted(long seconds) throws InterruptedException {
        return started.poll(seconds, TimeUnit.SECONDS);
    }

    /** Cuts every connection at once, as a crashed host or a cut cable would. */
    public void dropAllConnections() {
        for (var s : server.getActiveSessions()) {
            s.close(true);
        }
    }

    @Override
    public void close() {
        try {
            server.stop(true);
        } catch (IOException e) {
            // stopping is best effort; processes are killed below either way
        }
        for (Process p : processes) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
    }

    /**
     * Runs an exec request with bash. The fake sudo: {@code sudo -k -n true} succeeds only without
     * a sudo password; {@code sudo -k -S -p '' CMD...} reads one password line from stdin when one is
     * configured, then runs CMD as this same user with the rest of stdin.
     */
    private final class BashCommand implements Command {
        private final String line;
        private InputStream in;
        private OutputStream out;
        private OutputStream err;
        private ExitCallback exit;

        BashCommand(String line) {
            this.line = line;
        }

        @Override
        public void setInputStream(InputStream in) {
            this.in = in;
        }

        @Override
        public void setOutputStream(OutputStream out) {
            this.out = out;
        }

        @Override
        public void setErrorStream(OutputStream err) {
            this.err = err;
        }

        @Override
        public void setExitCallback(ExitCallback callback) {
            this.exit = callback;
        }

        @Override
        public void start(ChannelSession channel, Environment env) {
            commandLines.add(line);
            Thread t = new Thread(this::execute, "ssh-test-command");
            t.setDaemon(true);
            t.start();
        }

        private void execute() {
            try {
                String toRun = line;
                if (line.equals("sudo -k -n true")) {
                    finish(
                            config.sudoPassword == null ? 0 : 1,
                            config.sudoPassword == null ? "" : "sudo: a password is required\n");
                    return;
                }
                String sudoPrefix = "sudo -k -S -p '' ";
                if (line.startsWith(sudoPrefix)) {
                    toRun = line.substring(sudoPrefix.length());
                    if (config.sudoPassword != null) {
                        String given = readLine(in);
                        sudoPasswordsSeen.add(given);
                        if (!config.sudoPassword.equals(given)) {
                            finish(1, "Sorry, try again.\nsudo: 1 incorrect password attempt\n");
                            return;
                        }
                    }
                }
                started.add(line);
                Process p = new ProcessBuilder("/bin/bash", "-c", toRun).start();
                processes.add(p);
                Thread feed = pump(in, p.getOutputStream(), true);
                Thread o = pump(p.getInputStream(), out, false);
                Thread e = pump(p.getErrorStream(), err, false);
                int code = p.waitFor();
                o.join();
                e.join();
                feed.interrupt();
                exit.onExit(code);
            } catch (IOException | InterruptedException e) {
                exit.onExit(255, e.toString());
            }
        }

        private void finish(int code, String stderr) throws IOException {
            err.write(stderr.getBytes(StandardCharsets.UTF_8));
            err.flush();
            exit.onExit(code);
        }

        @Override
        public void destroy(ChannelSession channel) {
            // Like OpenSSH without a pty: a closed channel does not end the command. kk must do it.
        }
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0 && c != '\n') {
            b.write(c);
        }
        return b.toString(StandardCharsets.UTF_8);
    }

    private static Thread pump(InputStream from, OutputStream to, boolean closeTo) {
        Thread t = new Thread(
                () -> {
                    byte[] buf = new byte[8192];
                    try {
                        int n;
                        while ((n = from.read(buf)) >= 0) {
                            to.write(buf, 0, n);
                            to.flush();
                        }
                    } catch (IOException e) {
                        // the other side went away
                    } finally {
                        if (closeTo) {
                            try {
                                to.close();
                            } catch (IOException e) {
                                // already closed
                            }
                        }
                    }
                },
                "ssh-test-pump");
        t.setDaemon(true);
        t.start();
        return t;
    }
}
