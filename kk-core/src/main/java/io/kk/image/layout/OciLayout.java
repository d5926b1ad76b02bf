package io.kk.image.layout;

import io.kk.error.KkException;
import io.kk.image.Descriptor;
import io.kk.image.Digests;
import io.kk.image.Json;
import io.kk.image.Manifests;
import io.kk.image.Manifests.Manifest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An OCI image layout directory holding many images, their blobs shared. Each image is one {@code
 * index.json} entry named by {@code org.opencontainers.image.ref.name} (kk writes the normalised
 * full reference, e.g. {@code docker.io/calico/cni:v3.23.2}, and the same value as {@code
 * io.containerd.image.name} so {@code ctr import} works). An entry points at the image's original
 * top-level manifest or index, with its original media type (Docker or OCI), so digests are kept.
 * skopeo 1.9 resolves only OCI-typed entries by name; Docker-typed entries are still valid OCI
 * layout content and newer containers/image, crane and kk read them.
 *
 * <p>Blobs are written to a temp file under {@code .kk-tmp/}, checked against their digest, then
 * renamed into {@code blobs/sha256/}, so a blob file present under its name is always complete.
 * index.json is rewritten atomically by one writer at a time.
 */
public final class OciLayout {
    public static final String REF_NAME = "org.opencontainers.image.ref.name";
    public static final String CONTAINERD_NAME = "io.containerd.image.name";

    private final Path dir;
    private final Path blobs;
    private final Path tmp;

    /** One index.json entry. */
    public record Entry(String refName, Descriptor descriptor, boolean writtenByKk) {}

    private OciLayout(Path dir) {
        this.dir = dir;
        this.blobs = dir.resolve("blobs").resolve("sha256");
        this.tmp = dir.resolve(".kk-tmp");
    }

    /** Opens a layout, creating an empty one if the directory has none. */
    public static OciLayout create(Path dir) {
        OciLayout l = new OciLayout(dir);
        try {
            Files.createDirectories(l.blobs);
            Path marker = dir.resolve("oci-layout");
            if (!Files.exists(marker)) {
                // whole or absent: it is written only when missing, so a torn one would stay
                l.writeAtomically(marker, "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes(StandardCharsets.UTF_8));
            }
            if (!Files.exists(dir.resolve("index.json"))) {
                l.writeAtomically(dir.resolve("index.json"), "{\"schemaVersion\":2,\"manifests\":[]}".getBytes());
            }
        } catch (IOException e) {
            throw KkException.environment(
                    "cannot create the image layout " + dir + ": " + e.getMessage(),
                    "check the path and free space",
                    e);
        }
        return l;
    }

    /**
     * Opens an existing layout: the directory itself, or its {@code images/} subdirectory (a
     * KubeKey artifact unpacked).
     */
    public static OciLayout open(Path dir) {
        for (Path candidate : List.of(dir, dir.resolve("images"))) {
            if (Files.isRegularFile(candidate.resolve("index.json"))
                    && Files.isRegularFile(candidate.resolve("oci-layout"))) {
                return new OciLayout(candidate);
            }
        }
        throw KkException.invalidInput(
                dir + " is not an OCI image layout (no oci-layout and index.json, nor in images/)",
                "give the unpacked artifact directory or the images layout directory");
    }

    public Path dir() {
        return dir;
    }

    public boolean hasBlob(String digest) {
        return Files.isRegularFile(blobPath(digest));
    }

    public Path blobPath(String digest) {
        return blobs.resolve(Digests.hex(digest));
    }

    /** Where a partial download of this blob lives (kept across runs for Range resume). */
    public Path partPath(String digest) {
        try {
            Files.createDirectories(tmp);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return tmp.resolve(Digests.hex(digest) + ".part");
    }

    /** Moves a verified part file to its blob name. */
    public void commitPart(String digest, Path part) {
        try {
            move(part, blobPath(digest));
        } catch (IOException e) {
            throw KkException.environment(
                    "cannot store blob " + digest + " in " + dir + ": " + e.getMessage(), "check free space", e);
        }
    }

    /** Writes small content (manifests) after computing its digest; returns the digest. */
    public String writeBlob(byte[] bytes) {
        String digest = Digests.sha256(bytes);
        if (!hasBlob(digest)) {
            try {
                writeAtomically(blobPath(digest), bytes);
            } catch (IOException e) {
                throw KkException.environment("cannot write to " + dir + ": " + e.getMessage(), "check free space", e);
            }
        }
        return digest;
    }

    /** Reads a blob fully and checks its digest (for manifests; layers are streamed instead). */
    public byte[] readBlob(String digest) {
        try {
            byte[] b = Files.readAllBytes(blobPath(digest));
            if (!Digests.sha256(b).equals(digest)) {
                throw KkException.failed(
                        "blob " + digest + " in " + dir + " is damaged (digest mismatch)", "re-export the images");
            }
            return b;
        } catch (IOException e) {
            throw KkException.failed(
                    "blob " + digest + " is missing from " + dir, "the layout is incomplete; re-export the images");
        }
    }

    public Manifest readManifest(Descriptor d) {
        return new Manifest(readBlob(d.digest()), d.mediaType(), d.digest());
    }

    /** Checks a blob file against its digest (a full read). */
    public boolean verifyBlob(String digest) {
        MessageDigest md = Digests.newSha256();
        try (InputStream in = Files.newInputStream(blobPath(digest))) {
            byte[] buf = new byte[256 * 1024];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
        } catch (IOException e) {
            return false;
        }
        return Digests.format(md).equals(digest);
    }

    public List<Entry> entries() {
        Object index = readIndex();
        List<Entry> out = new ArrayList<>();
        for (Object m : Json.elements(Json.get(index, "manifests"))) {
            Descriptor d = Manifests.descriptor(m);
            String name = d.annotations().get(REF_NAME);
            out.add(new Entry(name, d, d.annotations().containsKey(CONTAINERD_NAME)));
        }
        return out;
    }

    /** The entry named exactly {@code refName}. */
    public Entry entry(String refName) {
        return entries().stream()
                .filter(e -> refName.equals(e.refName()))
                .findFirst()
                .orElseThrow(() -> KkException.invalidInput(
                        "no image named " + refName + " in " + dir, "list the layout's images"));
    }

    /**
     * Adds or replaces the entry named {@code refName} (an older entry with that name is removed,
     * as skopeo does). Serialised: index.json has one writer at a time.
     */
    public synchronized void putEntry(String refName, Descriptor d) {
        Map<String, Object> index = new LinkedHashMap<>(Json.members(readIndex()));
        List<Object> kept = new ArrayList<>();
        for (Object m : Json.elements(index.get("manifests"))) {
            if (!refName.equals(Json.get(Json.get(m, "annotations"), REF_NAME))) {
                kept.add(m);
            }
        }
        Map<String, Object> e = Json.object();
        e.put("mediaType", d.mediaType());
        e.put("digest", d.digest());
        e.put("size", d.size());
        if (d.platform() != null) {
            Map<String, Object> p = Json.object();
            p.put("architecture", d.platform().architecture());
            p.put("os", d.platform().os());
            if (!d.platform().variant().isEmpty()) {
                p.put("variant", d.platform().variant());
            }
            e.put("platform", p);
        }
        Map<String, Object> a = Json.object();
        a.put(CONTAINERD_NAME, refName);
        a.put(REF_NAME, refName);
        e.put("annotations", a);
        kept.add(e);
        index.put("manifests", kept);
        index.putIfAbsent("schemaVersion", 2);
        try {
            writeAtomically(dir.resolve("index.json"), Json.write(index));
        } catch (IOException e1) {
            throw KkException.environment(
                    "cannot write " + dir.resolve("index.json") + ": " + e1.getMessage(), "check free space", e1);
        }
    }

    private Object readIndex() {
        try {
            return Json.parse(Files.readAllBytes(dir.resolve("index.json")));
        } catch (IOException e) {
            throw KkException.invalidInput(
                    "cannot read " + dir.resolve("index.json") + ": " + e.getMessage(), "the layout is damaged");
        }
    }

    /** This process's part of temp names: its start in nanoTime, which another process shares only by chance of a nanosecond. */
    private static final String TEMP_PREFIX = Long.toHexString(System.nanoTime()) + "-";

    private static final AtomicLong TEMP_NAMES = new AtomicLong();

    /**
     * A temp file name no other writer of this layout uses. Not a random UUID: that seeds a
     * SecureRandom, tens of ms of every export's start (as does asking for the process id).
     */
    private static String tempName() {
        return TEMP_PREFIX + TEMP_NAMES.incrementAndGet() + ".tmp";
    }

    private void writeAtomically(Path target, byte[] bytes) throws IOException {
        Files.createDirectories(tmp);
        Path t = tmp.resolve(tempName());
        Files.write(t, bytes);
        move(t, target);
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
