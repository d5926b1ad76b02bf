package io.kk.host.ssh;

import io.kk.error.KkException;
import io.kk.event.EventSink;
import io.kk.host.HostAccess;
import io.kk.host.Remote;
import io.kk.host.RemoteFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.config.hosts.HostConfigEntryResolver;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.AttributeRepository;
import org.apache.sshd.common.keyprovider.KeyIdentityProvider;
import org.apache.sshd.core.CoreModuleProperties;
import org.apache.sshd.server.forward.AcceptAllForwardingFilter;

/**
 * Opens SSH {@link Remote}s over one MINA client: one session per host, opened lazily on the first
 * command and kept open (each command is a channel on it); {@link #close()} ends them all.
 */
public final class SshRemoteFactory implements RemoteFactory {

    /**
     * @param knownHosts the known_hosts file kk keeps (under its work dir); written on first contact
     * @param readOnlyKnownHosts further known_hosts files trusted but never written (e.g. ~/.ssh/known_hosts)
     * @param insecureSkipHostKeyCheck accept any host key and record nothing
     * @param events where "permanently added host key" notes go
     */
    public record Options(
            Path knownHosts, List<Path> readOnlyKnownHosts, boolean insecureSkipHostKeyCheck, EventSink events) {
        public Options {
            Objects.requireNonNull(knownHosts, "knownHosts");
            readOnlyKnownHosts = readOnlyKnownHosts == null ? List.of() : List.copyOf(readOnlyKnownHosts);
            events = events == null ? EventSink.NONE : events;
        }

        public static Options of(Path knownHosts, EventSink events) {
            return new Options(knownHosts, List.of(), false, events);
        }

        public Options withReadOnlyKnownHosts(Path file) {
            List<Path> all = new ArrayList<>(readOnlyKnownHosts);
            all.add(file);
            return new Options(knownHosts, all, insecureSkipHostKeyCheck, events);
        }

        public Options withInsecureSkipHostKeyCheck(boolean skip) {
            return new Options(knownHosts, readOnlyKnownHosts, skip, events);
        }
    }

    private final Options options;
    private final HostKeys hostKeys;
    private final Map<String, SshRemote> remotes = new LinkedHashMap<>();
    /** Local files' sha256 by path, size and mtime: one read per file for all hosts of a run. */
    private final Map<LocalFile, CompletableFuture<String>> localHashes = new ConcurrentHashMap<>();

    private SshClient client;
    private boolean closed;

    public SshRemoteFactory(Options options) {
        this.options = Objects.requireNonNull(options, "options");
        this.hostKeys = new HostKeys(
                options.knownHosts(),
                options.readOnlyKnownHosts(),
                options.insecureSkipHostKeyCheck(),
                options.events());
    }

    @Override
    public Remote remote(HostAccess host) {
        return sshRemote(host);
    }

    SshRemote sshRemote(HostAccess host) {
        SshRemote replaced = null;
        SshRemote r;
        synchronized (this) {
            if (closed) {
                throw KkException.internal("SSH connections already closed", null);
            }
            r = remotes.get(host.name());
            if (r == null || !r.access().equals(host)) {
                replaced = r;
                r = new SshRemote(this, host);
                remotes.put(host.name(), r);
            }
        }
        if (replaced != null) {
            replaced.close(); // outside the factory's lock: a Remote may be inside connect() asking for its jump host
        }
        return r;
    }

    synchronized SshClient client() {
        if (client == null) {
            SshClient c = SshClient.setUpDefaultClient();
            c.setServerKeyVerifier(hostKeys);
            // kk's config says how to reach each host: never the user's ~/.ssh/config or default keys.
            c.setHostConfigEntryResolver(HostConfigEntryResolver.EMPTY);
            c.setKeyIdentityProvider(KeyIdentityProvider.EMPTY_KEYS_PROVIDER);
            c.setForwardingFilter(AcceptAllForwardingFilter.INSTANCE);
            // A long silent command is normal (kubeadm init); a dead peer is found by heartbeats.
            CoreModuleProperties.IDLE_TIMEOUT.set(c, Duration.ZERO);
            CoreModuleProperties.NIO2_READ_TIMEOUT.set(c, Duration.ZERO);
            CoreModuleProperties.HEARTBEAT_INTERVAL.set(c, Duration.ofSeconds(15));
            CoreModuleProperties.HEARTBEAT_REPLY_WAIT.set(c, Duration.ofSeconds(15));
            CoreModuleProperties.HEARTBEAT_NO_REPLY_MAX.set(c, 4);
            // Fast first: AES-GCM runs on the CPU's AES instructions, ChaCha20 in MINA is pure Java
            // (seen: 3x slower uploads); curve25519 key exchange is much cheaper than the hybrid
            // post-quantum ones MINA prefers, which matters when connecting to many hosts.
            c.setCipherFactories(preferred(
                    c.getCipherFactories(),
                    List.of("aes128-gcm@openssh.com", "aes256-gcm@openssh.com", "aes128-ctr", "aes256-ctr")));
            c.setKeyExchangeFactories(preferred(
                    c.getKeyExchangeFactories(), List.of("curve25519-sha256", "curve25519-sha256@libssh.org")));
            c.addSessionListener(new org.apache.sshd.common.session.SessionListener() {
                @Override
                public void sessionCreated(org.apache.sshd.common.session.Session session) {
                    preferKnownHostKeyTypes(session);
                }
            });
            c.start();
            client = c;
        }
        return client;
    }

    /**
     * Asks for the host key types known for the host first (before the key exchange proposal is
     * sent), as OpenSSH does: a host holding several keys then shows the one on record.
     */
    private void preferKnownHostKeyTypes(org.apache.sshd.common.session.Session session) {
        AttributeRepository ctx = session instanceof ClientSession cs ? cs.getConnectionContext() : null;
        HostKeys.HostId id = ctx == null ? null : ctx.getAttribute(HostKeys.HOST_ID);
        if (id == null) {
            return;
        }
        List<String> types = hostKeys.knownKeyTypes(id);
        if (types.isEmpty()) {
            return;
        }
        List<org.apache.sshd.common.NamedFactory<org.apache.sshd.common.signature.Signature>> all =
                session.getSignatureFactories();
        List<String> names = new ArrayList<>();
        for (String type : types) {
            for (var f : all) {
                // ssh-rsa keys are offered by the rsa-sha2-* signatures too
                boolean rsa = type.equals("ssh-rsa") && f.getName().startsWith("rsa-sha2-");
                if ((f.getName().equals(type) || rsa) && !names.contains(f.getName())) {
                    names.add(f.getName());
                }
            }
        }
        session.setSignatureFactories(preferred(all, names));
    }

    /** The same factories with the named ones first, in the given order. */
    private static <T extends org.apache.sshd.common.NamedResource> List<T> preferred(List<T> all, List<String> first) {
        List<T> out = new ArrayList<>();
        for (String name : first) {
            all.stream().filter(f -> f.getName().equals(name)).forEach(out::add);
        }
        all.stream().filter(f -> !out.contains(f)).forEach(out::add);
        return out;
    }

    private static final long RACY_MILLIS = 3_000;
    private static final java.util.concurrent.atomic.AtomicBoolean CIPHER_WARM =
            new java.util.concurrent.atomic.AtomicBoolean();

    /** A local file as last seen: a changed size or mtime means a new hash. */
    private record LocalFile(Path path, long size, FileTime modified) {}

    /**
     * The file's sha256, computed once per version of the file even when hosts ask at once. A file
     * modified in the last seconds is hashed every time: file systems keep mtime in coarse ticks, so
     * a rewrite of the same size right after could look unchanged (git's "racy clean" problem).
     */
    String localSha256(Path file) {
        LocalFile key;
        try {
            Path real = file.toRealPath();
            BasicFileAttributes attrs = Files.readAttributes(real, BasicFileAttributes.class);
            key = new LocalFile(real, attrs.size(), attrs.lastModifiedTime());
        } catch (IOException e) {
            throw KkException.invalidInput(
                    "cannot read " + file + ": " + io.kk.error.Causes.describe(e), "check the file exists");
        }
        if (key.modified().toMillis() > System.currentTimeMillis() - RACY_MILLIS) {
            return SshRemote.sha256(key.path());
        }
        CompletableFuture<String> mine = new CompletableFuture<>();
        CompletableFuture<String> hash = localHashes.putIfAbsent(key, mine);
        if (hash == null) {
            try {
                mine.complete(SshRemote.sha256(key.path()));
            } catch (RuntimeException e) {
                localHashes.remove(key, mine);
                mine.completeExceptionally(e);
            }
            hash = mine;
        }
        try {
            return hash.join();
        } catch (java.util.concurrent.CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    /**
     * Starts, once per JVM, a background thread that runs AES-GCM on tiny buffers until the JIT
     * compiles it. Until then the JDK computes GCM without its CPU intrinsics, and each SSH packet
     * (32 KiB) is one call: measured, the first 150 MB of an upload cost 1.6 s of CPU more than
     * warm; 20,000 calls on 64 bytes cost 0.3 s and reach the compiled code before the data does.
     */
    static void warmUpCipher() {
        if (!CIPHER_WARM.compareAndSet(false, true)) {
            return;
        }
        Thread t = new Thread(
                () -> {
                    try {
                        javax.crypto.Cipher gcm = javax.crypto.Cipher.getInstance("AES/GCM/NoPadding");
                        javax.crypto.spec.SecretKeySpec key = new javax.crypto.spec.SecretKeySpec(new byte[16], "AES");
                        byte[] data = new byte[64 + 16];
                        byte[] iv = new byte[12];
                        for (int i = 0; i < 20_000; i++) {
                            iv[8] = (byte) (i >>> 24);
                            iv[9] = (byte) (i >>> 16);
                            iv[10] = (byte) (i >>> 8);
                            iv[11] = (byte) i;
                            gcm.init(
                                    javax.crypto.Cipher.ENCRYPT_MODE,
                                    key,
                                    new javax.crypto.spec.GCMParameterSpec(128, iv));
                            gcm.updateAAD(data, 0, 4);
                            gcm.doFinal(data, 4, 60, data, 4);
                        }
                    } catch (java.security.GeneralSecurityException | RuntimeException e) {
                        // only a warm-up: uploads work the same without it
                    }
                },
                "kk-cipher-warm-up");
        t.setDaemon(true);
        t.setPriority(Thread.MIN_PRIORITY);
        t.start();
    }

    Options options() {
        return options;
    }

    @Override
    public void close() {
        List<SshRemote> all;
        SshClient c;
        synchronized (this) {
            closed = true;
            all = new ArrayList<>(remotes.values());
            remotes.clear();
            c = client;
            client = null;
        }
        // In order of first use: a target before the jump host its tunnel goes through.
        for (SshRemote r : all) {
            r.close();
        }
        if (c != null) {
            c.stop();
        }
    }
}
