package io.kk.host.ssh;

import io.kk.error.KkException;
import io.kk.event.EventSink;
import io.kk.event.Note;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.sshd.client.config.hosts.KnownHostEntry;
import org.apache.sshd.client.keyverifier.ServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.AttributeRepository;
import org.apache.sshd.common.AttributeRepository.AttributeKey;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;
import org.apache.sshd.common.digest.BuiltinDigests;

/**
 * Host key checking against the known_hosts file kk keeps (OpenSSH format), trust on first use:
 * an unknown host's key is recorded and said; a host whose recorded key differs is refused. The
 * user's own known_hosts may be consulted read-only.
 */
final class HostKeys implements ServerKeyVerifier {

    /** Which host a session is meant to reach (the connect address may be a tunnel's end). */
    record HostId(String name, String address, int port) {
        /** The host column of a known_hosts line: {@code addr} on 22, else {@code [addr]:port}. */
        String token() {
            return port == 22 ? address : "[" + address + "]:" + port;
        }
    }

    static final AttributeKey<HostId> HOST_ID = new AttributeKey<>();
    /** Set on a session whose host key was refused, so the connect error can say why. */
    static final AttributeKey<KkException> REFUSAL = new AttributeKey<>();

    private final Path knownHosts;
    private final List<Path> readOnlyKnownHosts;
    private final boolean skipCheck;
    private final EventSink events;

    HostKeys(Path knownHosts, List<Path> readOnlyKnownHosts, boolean skipCheck, EventSink events) {
        this.knownHosts = knownHosts;
        this.readOnlyKnownHosts = List.copyOf(readOnlyKnownHosts);
        this.skipCheck = skipCheck;
        this.events = events;
    }

    static AttributeRepository context(HostId id) {
        return AttributeRepository.ofKeyValuePair(HOST_ID, id);
    }

    @Override
    public boolean verifyServerKey(ClientSession session, SocketAddress remoteAddress, PublicKey serverKey) {
        if (skipCheck) {
            return true;
        }
        HostId id = hostIdOf(session, remoteAddress);
        try {
            check(id, serverKey);
            return true;
        } catch (KkException e) {
            session.setAttribute(REFUSAL, e);
            return false;
        }
    }

    private static HostId hostIdOf(ClientSession session, SocketAddress remoteAddress) {
        AttributeRepository ctx = session.getConnectionContext();
        HostId id = ctx == null ? null : ctx.getAttribute(HOST_ID);
        if (id != null) {
            return id;
        }
        if (remoteAddress instanceof InetSocketAddress isa) {
            return new HostId(isa.getHostString(), isa.getHostString(), isa.getPort());
        }
        return new HostId(String.valueOf(remoteAddress), String.valueOf(remoteAddress), 22);
    }

    /** Accepts a known key, records an unknown host, throws ENVIRONMENT for a changed key. */
    synchronized void check(HostId id, PublicKey serverKey) {
        List<Known> known = new ArrayList<>();
        for (Path file : readOnlyKnownHosts) {
            known.addAll(read(file, id));
        }
        known.addAll(read(knownHosts, id));
        for (Known k : known) {
            if (k.key != null && KeyUtils.compareKeys(k.key, serverKey)) {
                return;
            }
        }
        String offered = describe(serverKey);
        if (!known.isEmpty()) {
            Known first = known.get(0);
            String old = first.key == null ? "an unreadable key" : describe(first.key);
            throw KkException.environment(
                    "host key of " + id.name() + " (" + id.token() + ") has changed: known as " + old
                            + " in " + first.file + " line " + first.line + ", now offering " + offered
                            + "; this may be a man-in-the-middle attack, or the host was reinstalled",
                    "if the host was reinstalled, remove line " + first.line + " of " + first.file
                            + " and rerun (or pass --insecure-skip-host-key-check)");
        }
        record(id, serverKey);
        events.emit(Note.info("permanently added host key for " + id.name() + " (" + id.token() + ") (" + offered
                + ") to " + knownHosts));
    }

    private record Known(Path file, int line, PublicKey key) {}

    private static List<Known> read(Path file, HostId id) {
        List<Known> found = new ArrayList<>();
        if (file == null || !Files.isRegularFile(file)) {
            return found;
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw KkException.environment(
                    "cannot read known hosts file " + file + ": " + io.kk.error.Causes.describe(e),
                    "check its permissions",
                    e);
        }
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            KnownHostEntry entry;
            try {
                entry = KnownHostEntry.parseKnownHostEntry(line);
            } catch (RuntimeException e) {
                continue; // a line we do not understand is not ours to judge; OpenSSH skips them too
            }
            if (entry == null || entry.getKeyEntry() == null || entry.getMarker() != null) {
                continue;
            }
            if (!entry.isHostMatch(id.address(), id.port())) {
                continue;
            }
            PublicKey key;
            try {
                key = entry.getKeyEntry().resolvePublicKey(null, PublicKeyEntryResolver.IGNORING);
            } catch (IOException | java.security.GeneralSecurityException | RuntimeException e) {
                key = null;
            }
            found.add(new Known(file, i + 1, key));
        }
        return found;
    }

    private void record(HostId id, PublicKey key) {
        try {
            Path dir = knownHosts.toAbsolutePath().getParent();
            if (dir != null) {
                Files.createDirectories(dir);
            }
            // The whole file written aside and renamed: a crash mid-write never leaves a torn line,
            // which the next run would read as this host's key having changed.
            String before = Files.isRegularFile(knownHosts) ? Files.readString(knownHosts, StandardCharsets.UTF_8) : "";
            if (!before.isEmpty() && !before.endsWith("\n")) {
                before += "\n";
            }
            String entry = id.token() + " " + PublicKeyEntry.toString(key) + "\n";
            io.kk.util.AtomicFiles.writePrivate(knownHosts, before + entry);
        } catch (IOException e) {
            throw KkException.environment(
                    "cannot record the host key of " + id.name() + " in " + knownHosts + ": "
                            + io.kk.error.Causes.describe(e),
                    "check that kk's work directory is writable",
                    e);
        }
    }

    /** Like OpenSSH says it: {@code ED25519 SHA256:...}. */
    static String describe(PublicKey key) {
        return shortType(KeyUtils.getKeyType(key)) + " " + KeyUtils.getFingerPrint(BuiltinDigests.sha256, key);
    }

    private static String shortType(String sshType) {
        if (sshType == null) {
            return "UNKNOWN";
        }
        if (sshType.startsWith("ssh-ed25519")) {
            return "ED25519";
        }
        if (sshType.startsWith("ssh-rsa") || sshType.startsWith("rsa-")) {
            return "RSA";
        }
        if (sshType.startsWith("ecdsa-")) {
            return "ECDSA";
        }
        return sshType.toUpperCase(Locale.ROOT);
    }
}
