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

    /**
     * Accepts a known key, records an unknown host, throws ENVIRONMENT for a changed or revoked key.
     * Runs during key exchange, before any authentication: a refused host never sees a password.
     */
    synchronized void check(HostId id, PublicKey serverKey) {
        List<Known> known = new ArrayList<>();
        for (Path file : readOnlyKnownHosts) {
            known.addAll(read(file, id));
        }
        known.addAll(read(knownHosts, id));
        String offered = describe(serverKey);
        for (Known k : known) {
            if (k.revoked && k.key != null && KeyUtils.compareKeys(k.key, serverKey)) {
                throw KkException.environment(
                        "host key of " + id.name() + " (" + id.token() + ") " + offered + " is marked @revoked in "
                                + k.file + " line " + k.line + "; kk will not connect with it",
                        "give " + id.name() + " a new host key (ssh-keygen -A on the host after removing the old"
                                + " one), or remove line " + k.line + " of " + k.file + " if the revocation is wrong");
            }
        }
        List<Known> plain = known.stream().filter(k -> !k.revoked).toList();
        for (Known k : plain) {
            if (k.key != null && KeyUtils.compareKeys(k.key, serverKey)) {
                return;
            }
        }
        if (!plain.isEmpty()) {
            Known first = plain.stream()
                    .filter(k -> k.key != null && KeyUtils.getKeyType(k.key).equals(KeyUtils.getKeyType(serverKey)))
                    .findFirst()
                    .orElse(plain.get(0));
            String old = first.key == null ? "an unreadable key" : describe(first.key);
            throw KkException.environment(
                    "host key of " + id.name() + " (" + id.token() + ") has changed: known as " + old
                            + " in " + first.file + " line " + first.line + ", now offering " + offered
                            + "; this may be a man-in-the-middle attack, or the host was reinstalled;"
                            + " nothing was sent to it",
                    "if the host was reinstalled, remove its old key: ssh-keygen -R '" + id.token() + "' -f "
                            + first.file + " (or delete line " + first.line + " of " + first.file
                            + "), then rerun; --insecure-skip-host-key-check skips the check");
        }
        record(id, serverKey);
        events.emit(Note.info("permanently added host key for " + id.name() + " (" + id.token() + ") (" + offered
                + ") to " + knownHosts));
    }

    /**
     * The key types (e.g. {@code ssh-ed25519}) known for the host, so that key exchange asks for
     * one of them first, as OpenSSH does: a host with several keys then offers the one on record
     * instead of looking changed.
     */
    synchronized List<String> knownKeyTypes(HostId id) {
        if (skipCheck) {
            return List.of();
        }
        List<Known> known = new ArrayList<>();
        for (Path file : readOnlyKnownHosts) {
            known.addAll(read(file, id));
        }
        known.addAll(read(knownHosts, id));
        List<String> types = new ArrayList<>();
        for (Known k : known) {
            if (!k.revoked && k.key != null) {
                String t = KeyUtils.getKeyType(k.key);
                if (t != null && !types.contains(t)) {
                    types.add(t);
                }
            }
        }
        return types;
    }

    private record Known(Path file, int line, PublicKey key, boolean revoked) {}

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
            // @cert-authority lines name a CA, not a host key: kk checks plain host keys only.
            boolean revoked = "revoked".equals(entry == null ? null : entry.getMarker());
            if (entry == null || entry.getKeyEntry() == null || (entry.getMarker() != null && !revoked)) {
                continue;
            }
            if (!entry.isHostMatch(id.address(), id.port()) && !patternsMatch(line, id)) {
                continue;
            }
            PublicKey key;
            try {
                key = entry.getKeyEntry().resolvePublicKey(null, PublicKeyEntryResolver.IGNORING);
            } catch (IOException | java.security.GeneralSecurityException | RuntimeException e) {
                key = null;
            }
            found.add(new Known(file, i + 1, key, revoked));
        }
        return found;
    }

    /**
     * OpenSSH matches a line's host patterns against {@code [addr]:port} for a port other than 22,
     * so {@code @revoked * KEY} or {@code [10.0.0.*]:2222 KEY} cover such hosts; MINA matches only
     * the address there. Hashed names ({@code |1|...}) are MINA's to match. A negated pattern that
     * matches excludes the host.
     */
    static boolean patternsMatch(String line, HostId id) {
        String rest =
                line.startsWith("@") ? line.substring(line.indexOf(' ') + 1).strip() : line;
        int space = rest.indexOf(' ');
        String hosts = space < 0 ? rest : rest.substring(0, space);
        if (hosts.startsWith("|")) {
            return false;
        }
        boolean matched = false;
        for (String pattern : hosts.split(",")) {
            boolean negated = pattern.startsWith("!");
            String p = negated ? pattern.substring(1) : pattern;
            if (glob(p, id.token())) {
                if (negated) {
                    return false;
                }
                matched = true;
            }
        }
        return matched;
    }

    private static boolean glob(String pattern, String text) {
        StringBuilder re = new StringBuilder();
        for (char c : pattern.toLowerCase(Locale.ROOT).toCharArray()) {
            re.append(c == '*' ? ".*" : c == '?' ? "." : java.util.regex.Pattern.quote(String.valueOf(c)));
        }
        return text.toLowerCase(Locale.ROOT).matches(re.toString());
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
