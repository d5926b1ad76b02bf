package io.kk.artifact;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kk.error.FileErrors;
import io.kk.error.KkException;
import io.kk.event.EventSink;
import io.kk.event.Progress;
import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Reads artifacts: kk's (with {@code kk/index.json} first) and KubeKey v2/v3's (a gzip tar of its
 * artifact dir, no index). Every operation streams the file once; memory does not grow with it.
 */
public final class ArtifactReader {
    private static final String BLOB_PREFIX = "images/blobs/sha256/";
    private static final int BUFFER = 64 * 1024;

    private final EventSink events;

    public ArtifactReader(EventSink events) {
        this.events = Objects.requireNonNull(events, "events");
    }

    /**
     * Lists what the artifact holds. For a kk artifact only the index (the head of the file) is
     * read; a KubeKey artifact is scanned entry by entry (headers only, plus images/index.json).
     */
    public ArtifactContents inspect(Path artifact) {
        checkIsArtifactFile(artifact);
        try (TarStream tar = TarStream.open(artifact)) {
            TarArchiveEntry first = tar.next();
            if (first != null && name(first).equals(ArtifactIndex.PATH)) {
                ArtifactIndex index = ArtifactIndex.fromJson(tar.in.readAllBytes(), artifact.toString());
                Map<String, Long> sizes = new LinkedHashMap<>();
                for (ArtifactIndex.IndexedFile f : index.files()) {
                    sizes.put(f.path(), f.size());
                }
                return contents(
                        artifact,
                        tar,
                        true,
                        index.kkVersion(),
                        index.created(),
                        sizes,
                        index.images(),
                        index.manifest());
            }
            Map<String, Long> sizes = new LinkedHashMap<>();
            List<ImageEntry> images = List.of();
            for (TarArchiveEntry e = first; e != null; e = tar.next()) {
                if (!TarEntryCheck.isRegularFile(e)) {
                    continue;
                }
                String name = name(e);
                sizes.put(name, e.getSize());
                if (name.equals("images/index.json")) {
                    images = imagesOfLayout(tar.in.readAllBytes());
                }
            }
            return contents(artifact, tar, false, "", "", sizes, images, "");
        } catch (IOException e) {
            throw unreadable(artifact, e);
        }
    }

    /** The bytes of kk/index.json at the head of an artifact; null when it has none or is unreadable. */
    static byte[] headIndex(Path artifact, Compression expected) {
        try (TarStream tar = TarStream.open(artifact)) {
            if (tar.compression != expected) {
                return null;
            }
            TarArchiveEntry first = tar.next();
            return first != null && name(first).equals(ArtifactIndex.PATH) ? tar.in.readAllBytes() : null;
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * Checks every file of the artifact against kk's index (size and sha256) and every image blob
     * against its digest name, offline. A KubeKey artifact has no index: only blobs are checked.
     * When {@code publicKey} is given, the detached signature is checked as well. Problems are
     * collected, not thrown: the report lists all of them.
     */
    public VerifyReport verify(Path artifact, Path publicKey) {
        checkIsArtifactFile(artifact);
        List<VerifyReport.Mismatch> mismatches = new ArrayList<>();
        String signed = "";
        if (publicKey != null) {
            try {
                signed = ArtifactSignature.verify(artifact, publicKey);
            } catch (KkException e) {
                mismatches.add(new VerifyReport.Mismatch(
                        ArtifactSignature.pathFor(artifact).toString(), e.getMessage()));
            }
        }
        int files = 0;
        int blobs = 0;
        long bytes = 0;
        boolean kk = false;
        String current = START;
        try (TarStream tar = TarStream.open(artifact)) {
            Map<String, ArtifactIndex.IndexedFile> expected = new LinkedHashMap<>();
            byte[] expectedSums = null;
            Set<String> seen = new LinkedHashSet<>();
            TarEntryCheck check = new TarEntryCheck(artifact.toString());
            TarArchiveEntry e;
            while (true) {
                try {
                    e = tar.next();
                } catch (IOException ex) {
                    if (current.equals(START)) {
                        throw unreadable(artifact, ex); // not a tar at all: no report to give
                    }
                    mismatches.add(new VerifyReport.Mismatch(
                            "after " + current, "the archive cannot be read further: " + ex.getMessage()));
                    break;
                }
                if (e == null) {
                    break;
                }
                try {
                    check.check(e);
                } catch (KkException unsafe) {
                    mismatches.add(new VerifyReport.Mismatch(e.getName(), unsafe.getMessage()));
                    if (!TarEntryCheck.isRegularFile(e)) {
                        continue;
                    }
                }
                if (!TarEntryCheck.isRegularFile(e)) {
                    continue;
                }
                String name = name(e);
                current = name;
                if (files == 0 && name.equals(ArtifactIndex.PATH)) {
                    byte[] json = tar.in.readAllBytes();
                    ArtifactIndex index = ArtifactIndex.fromJson(json, artifact.toString());
                    kk = true;
                    index.files().forEach(f -> expected.put(f.path(), f));
                    expectedSums = index.sha256Sums(Hashing.sha256Hex(json));
                    files++;
                    bytes += json.length;
                    continue;
                }
                files++;
                seen.add(name); // a second entry of the name is reported by the check above
                Hashed h;
                try {
                    h = hash(tar.in, e.getSize(), null);
                } catch (IOException ex) {
                    if (current.equals(START)) {
                        throw unreadable(artifact, ex); // not a tar at all: no report to give
                    }
                    mismatches.add(new VerifyReport.Mismatch(name, "cannot be read (damaged): " + ex.getMessage()));
                    break;
                }
                bytes += h.size;
                if (kk && name.equals(ArtifactIndex.SUMS_PATH)) {
                    if (!h.sha256.equals(Hashing.sha256Hex(expectedSums))) {
                        mismatches.add(new VerifyReport.Mismatch(name, "does not list the files of kk/index.json"));
                    }
                    continue;
                }
                if (kk) {
                    ArtifactIndex.IndexedFile want = expected.get(name);
                    if (want == null) {
                        mismatches.add(new VerifyReport.Mismatch(name, "is not listed in kk/index.json"));
                    } else if (want.size() != h.size || !want.sha256().equals(h.sha256)) {
                        mismatches.add(new VerifyReport.Mismatch(
                                name,
                                "sha256 " + h.sha256 + " (" + h.size + " bytes), expected " + want.sha256() + " ("
                                        + want.size() + " bytes)"));
                    }
                }
                if (name.startsWith(BLOB_PREFIX)) {
                    blobs++;
                    String digest = name.substring(BLOB_PREFIX.length());
                    if (!digest.equals(h.sha256)) {
                        mismatches.add(new VerifyReport.Mismatch(name, "blob content has digest sha256:" + h.sha256));
                    }
                }
                events.emit(new Progress("verify", "verifying", "B", tar.counted(), tar.fileSize, false));
            }
            if (kk) {
                for (String path : expected.keySet()) {
                    if (!seen.contains(path)) {
                        mismatches.add(new VerifyReport.Mismatch(path, "listed in kk/index.json but missing"));
                    }
                }
            }
            events.emit(new Progress("verify", "verifying", "B", tar.fileSize, tar.fileSize, true));
        } catch (IOException ex) {
            throw unreadable(artifact, ex);
        }
        return new VerifyReport(artifact, kk, files, blobs, bytes, mismatches, signed);
    }

    /**
     * Unpacks the artifact into {@code dir} (KubeKey's work dir layout), verifying every file as it
     * goes. Each file is written under a temporary name and renamed only once its hash matches, so
     * a failure leaves no half-written file. Entries that would land outside {@code dir} (absolute
     * paths, {@code ..}, links pointing out, paths through links) are refused.
     */
    public ImportResult importTo(Path artifact, Path dir) {
        checkIsArtifactFile(artifact);
        return importFiles(artifact, dir);
    }

    /** The file an import writes last into its directory: its presence means the import finished. */
    public static final String IMPORTED_MARKER = ".kk-imported";

    /** What the marker holds: the artifact file's absolute path, size and modification time. */
    public static String importStamp(Path artifact) throws IOException {
        return artifact.toAbsolutePath() + "\n" + Files.size(artifact) + "\n"
                + Files.getLastModifiedTime(artifact).toMillis() + "\n";
    }

    private ImportResult importFiles(Path artifact, Path dir) {
        int files = 0;
        long bytes = 0;
        boolean kk = false;
        String current = START;
        try (TarStream tar = TarStream.open(artifact)) {
            Files.createDirectories(dir);
            Path root = dir.toRealPath();
            // the completion marker goes first and comes back last: a killed import is never
            // taken for a finished one (Artifacts.prepare refuses such a directory)
            Path done = root.resolve(IMPORTED_MARKER);
            Files.deleteIfExists(done);
            Map<String, ArtifactIndex.IndexedFile> expected = new HashMap<>();
            Set<String> seen = new LinkedHashSet<>();
            TarEntryCheck check = new TarEntryCheck(artifact.toString());
            TarArchiveEntry e;
            while ((e = next(tar, artifact, current)) != null) {
                check.check(e);
                String name = name(e);
                if (e.isDirectory() && (name.isEmpty() || name.equals(".") || name.equals("/"))) {
                    continue; // the archive's root, e.g. "./" from tar -C dir .
                }
                String problem = SafePaths.problem(name);
                if (problem != null) {
                    throw refused(artifact, e.getName(), problem);
                }
                current = name;
                Path target = root.resolve(name).normalize();
                if (!target.startsWith(root)) {
                    throw refused(artifact, e.getName(), "path escapes the target dir");
                }
                if (e.isDirectory()) {
                    Files.createDirectories(target);
                    requireInside(root, target, artifact, name);
                    continue;
                }
                Path parent = target.getParent();
                Files.createDirectories(parent);
                requireInside(root, parent, artifact, name);
                if (e.isSymbolicLink() || e.isLink()) {
                    link(root, target, e, artifact);
                    continue;
                }
                if (!TarEntryCheck.isRegularFile(e)) {
                    throw refused(artifact, name, "not a regular file, directory or link");
                }
                if (files == 0 && name.equals(ArtifactIndex.PATH)) {
                    kk = true;
                    byte[] json = tar.in.readAllBytes();
                    ArtifactIndex index = ArtifactIndex.fromJson(json, artifact.toString());
                    index.files().forEach(f -> expected.put(f.path(), f));
                    byte[] sums = index.sha256Sums(Hashing.sha256Hex(json));
                    expected.put(
                            ArtifactIndex.SUMS_PATH,
                            new ArtifactIndex.IndexedFile(
                                    ArtifactIndex.SUMS_PATH, sums.length, Hashing.sha256Hex(sums)));
                    for (String path : expected.keySet()) {
                        String bad = SafePaths.problem(path);
                        if (bad != null) {
                            throw refused(artifact, path, bad + " (listed in kk/index.json)");
                        }
                    }
                    writeVerified(
                            tar,
                            new java.io.ByteArrayInputStream(json),
                            json.length,
                            target,
                            0644,
                            Hashing.sha256Hex(json),
                            artifact,
                            name);
                    files++;
                    bytes += json.length;
                    continue;
                }
                String want = null;
                if (kk) {
                    ArtifactIndex.IndexedFile f = expected.get(name);
                    if (f == null) {
                        throw KkException.failed(
                                artifact + ": " + name + " is not listed in kk/index.json",
                                "the artifact was altered; export it again");
                    }
                    if (f.size() != e.getSize()) {
                        throw mismatch(artifact, name, f.size() + " bytes", e.getSize() + " bytes");
                    }
                    want = f.sha256();
                }
                if (name.startsWith(BLOB_PREFIX)) {
                    String digest = name.substring(BLOB_PREFIX.length());
                    if (want != null && !want.equals(digest)) {
                        throw mismatch(artifact, name, "sha256 " + digest + " (its name)", "index sha256 " + want);
                    }
                    want = digest;
                }
                seen.add(name);
                writeVerified(tar, tar.in, e.getSize(), target, e.getMode(), want, artifact, name);
                files++;
                bytes += e.getSize();
                events.emit(new Progress("import", "importing", "B", tar.counted(), tar.fileSize, false));
            }
            if (kk) {
                for (String path : expected.keySet()) {
                    if (!seen.contains(path)) {
                        throw KkException.failed(
                                artifact + " lacks " + path + ", which kk/index.json lists",
                                "the artifact is truncated or altered; export it again");
                    }
                }
            }
            io.kk.util.AtomicFiles.writeString(done, importStamp(artifact));
            events.emit(new Progress("import", "importing", "B", tar.fileSize, tar.fileSize, true));
            return new ImportResult(dir, kk, files, bytes);
        } catch (IOException ex) {
            FileErrors.Reason why = FileErrors.reason(ex);
            if (why == FileErrors.Reason.NO_SPACE
                    || why == FileErrors.Reason.READ_ONLY
                    || why == FileErrors.Reason.PERMISSION_DENIED
                    || why == FileErrors.Reason.NOT_A_DIRECTORY) {
                // the work dir is unfit, not the artifact: say so (what was written stays verified files only)
                throw FileErrors.writing(dir.resolve(current), "--dir", ex);
            }
            throw KkException.failed(
                    "cannot import " + artifact + " (at " + current + "): " + io.kk.error.Causes.describe(ex),
                    "check the artifact with kk artifact verify, and the disk space of " + dir,
                    ex);
        }
    }

    private static TarArchiveEntry next(TarStream tar, Path artifact, String current) {
        try {
            return tar.next();
        } catch (IOException ex) {
            if (current.equals(START)) {
                throw unreadable(artifact, ex);
            }
            throw KkException.failed(
                    artifact + " cannot be read after " + current + ": " + io.kk.error.Causes.describe(ex),
                    "the artifact is damaged; check it with kk artifact verify");
        }
    }

    /** Copies an entry to a temp file beside the target, checks its sha256, then renames it. */
    private void writeVerified(
            TarStream tar,
            InputStream in,
            long size,
            Path target,
            int mode,
            String wantSha256,
            Path artifact,
            String name)
            throws IOException {
        Path tmp = target.resolveSibling("." + target.getFileName() + ".kkpart");
        boolean done = false;
        try {
            Hashed h;
            try (FileChannel ch = FileChannel.open(
                            tmp,
                            StandardOpenOption.CREATE,
                            StandardOpenOption.WRITE,
                            StandardOpenOption.TRUNCATE_EXISTING);
                    OutputStream out = java.nio.channels.Channels.newOutputStream(ch)) {
                try {
                    h = hash(in, size, out);
                } catch (IOException ex) {
                    throw KkException.failed(
                            artifact + ": " + name + " cannot be read (damaged): " + ex.getMessage(),
                            "the artifact is damaged; nothing of this file was kept");
                }
                ch.force(false);
            }
            if (h.size != size) {
                throw mismatch(artifact, name, size + " bytes", h.size + " bytes");
            }
            if (wantSha256 != null && !wantSha256.equals(h.sha256)) {
                throw mismatch(artifact, name, "sha256 " + wantSha256, "sha256 " + h.sha256);
            }
            if ((mode & 0111) != 0 && Files.getFileStore(tmp).supportsFileAttributeView("posix")) {
                Files.setPosixFilePermissions(
                        tmp,
                        EnumSet.of(
                                PosixFilePermission.OWNER_READ,
                                PosixFilePermission.OWNER_WRITE,
                                PosixFilePermission.OWNER_EXECUTE,
                                PosixFilePermission.GROUP_READ,
                                PosixFilePermission.GROUP_EXECUTE,
                                PosixFilePermission.OTHERS_READ,
                                PosixFilePermission.OTHERS_EXECUTE));
            }
            io.kk.util.PausePoints.reached("import:" + name);
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            done = true;
        } finally {
            if (!done) {
                Files.deleteIfExists(tmp);
            }
        }
    }

    private static void link(Path root, Path target, TarArchiveEntry e, Path artifact) throws IOException {
        String linkName = e.getLinkName();
        Path dest;
        if (e.isSymbolicLink()) {
            if (linkName.startsWith("/")) {
                throw refused(artifact, name(e), "symlink to an absolute path " + linkName);
            }
            dest = target.getParent().resolve(linkName).normalize();
        } else {
            String problem = SafePaths.problem(stripDot(linkName));
            if (problem != null) {
                throw refused(artifact, name(e), "hard link to " + linkName + ": " + problem);
            }
            dest = root.resolve(stripDot(linkName)).normalize();
        }
        if (!dest.startsWith(root)) {
            throw refused(artifact, name(e), "link points outside the target dir: " + linkName);
        }
        Files.deleteIfExists(target);
        if (e.isSymbolicLink()) {
            Files.createSymbolicLink(target, target.getParent().relativize(dest));
        } else {
            requireInside(root, dest, artifact, name(e));
            Files.createLink(target, dest);
        }
    }

    /** Refuses a path whose real location (following links already on disk) leaves the root. */
    private static void requireInside(Path root, Path p, Path artifact, String name) throws IOException {
        if (!p.toRealPath().startsWith(root)) {
            throw refused(artifact, name, "path leads outside the target dir through a link");
        }
    }

    private static KkException refused(Path artifact, String entry, String why) {
        return KkException.failed(
                artifact + ": refusing entry " + entry + ": " + why,
                "the artifact is unsafe or damaged; import only artifacts from a trusted export");
    }

    private static KkException mismatch(Path artifact, String name, String expected, String actual) {
        return KkException.failed(
                artifact + ": " + name + " does not match: expected " + expected + ", got " + actual,
                "the artifact is damaged or altered; nothing of this file was kept");
    }

    /** Where reading stands before the first entry. */
    private static final String START = "(start of the archive)";

    private static KkException unreadable(Path artifact, IOException e) {
        FileErrors.Reason why = FileErrors.reason(e);
        if (why != FileErrors.Reason.OTHER) {
            return FileErrors.reading(artifact, "-a", "the artifact file", e);
        }
        return KkException.invalidInput(
                artifact + " is not an artifact: " + io.kk.error.Causes.describe(e),
                "give the .tar.zst / .tar.gz file kk artifact export (or KubeKey) wrote with -a");
    }

    /**
     * What {@code -a} names must be a non-empty file: said up front, before an empty or missing
     * file reads as "an artifact with nothing in it" or a directory as a corrupt archive.
     */
    private static void checkIsArtifactFile(Path artifact) {
        if (Files.isDirectory(artifact)) {
            throw KkException.invalidInput(
                    artifact + " is a directory, not an artifact file",
                    "give the file kk artifact export wrote with -a (an imported directory is used by"
                            + " create cluster / artifact images push -a, not here)");
        }
        if (!Files.exists(artifact)) {
            throw KkException.invalidInput(
                    "no such artifact: " + artifact,
                    "check the path given with -a (the file kk artifact export wrote)");
        }
        try {
            if (Files.size(artifact) == 0) {
                throw KkException.invalidInput(
                        artifact + " is empty (0 bytes), not an artifact",
                        "an interrupted copy or export? copy or export it again");
            }
        } catch (IOException e) {
            throw FileErrors.reading(artifact, "-a", "the artifact file", e);
        }
    }

    private ArtifactContents contents(
            Path artifact,
            TarStream tar,
            boolean kk,
            String kkVersion,
            String created,
            Map<String, Long> sizes,
            List<ImageEntry> images,
            String manifest) {
        Map<List<String>, long[]> groups =
                new TreeMap<>((a, b) -> String.join("\0", a).compareTo(String.join("\0", b)));
        int blobs = 0;
        long imageBytes = 0;
        long data = 0;
        List<ArtifactContents.Chart> charts = new ArrayList<>();
        for (Map.Entry<String, Long> f : sizes.entrySet()) {
            String path = f.getKey();
            long size = f.getValue();
            data += size;
            if (path.startsWith("images/")) {
                imageBytes += size;
                if (path.startsWith(BLOB_PREFIX)) {
                    blobs++;
                }
                continue;
            }
            ArtifactContents.Chart chart = chartOf(path, size);
            if (chart != null) {
                charts.add(chart);
                continue;
            }
            List<String> key = componentOf(path);
            long[] g = groups.computeIfAbsent(key, k -> new long[2]);
            g[0]++;
            g[1] += size;
        }
        List<ArtifactContents.Component> components = new ArrayList<>();
        groups.forEach((k, v) ->
                components.add(new ArtifactContents.Component(k.get(0), k.get(1), k.get(2), (int) v[0], v[1])));
        return new ArtifactContents(
                artifact,
                tar.compression,
                kk,
                kkVersion,
                created,
                tar.fileSize,
                data,
                sizes.size(),
                components,
                charts,
                blobs,
                imageBytes,
                images,
                manifest);
    }

    private static final java.util.regex.Pattern CHART_FILE =
            java.util.regex.Pattern.compile("charts/(.+?)-(v?[0-9]+\\.[0-9]+[^/]*)\\.tgz");

    /**
     * A chart by its path {@code charts/<name>-<version>.tgz}: the version starts at the first
     * "-digit.digit" (chart names such as {@code cert-manager} hold dashes, versions rarely start
     * otherwise); null for other paths.
     */
    static ArtifactContents.Chart chartOf(String path, long size) {
        var m = CHART_FILE.matcher(path);
        if (m.matches()) {
            return new ArtifactContents.Chart(m.group(1), m.group(2), path, size);
        }
        if (path.startsWith(ArtifactPaths.CHARTS + "/") && path.endsWith(".tgz") && path.indexOf('/', 7) < 0) {
            String base = path.substring(7, path.length() - 4);
            return new ArtifactContents.Chart(base, "", path, size);
        }
        return null;
    }

    /** KubeKey's path rules: {@code <type>/<version>/<arch>/<file>}, registry and repository parts. */
    static List<String> componentOf(String path) {
        String[] s = path.split("/");
        if (s[0].equals("repository") && s.length >= 5) {
            return List.of("repository/" + s[2], s[3], s[1]);
        }
        if (s[0].equals("registry") && s.length >= 5) {
            return List.of("registry/" + s[1], s[2], s[3]);
        }
        if (s.length >= 4) {
            return List.of(s[0], s[1], s[2]);
        }
        return List.of(s.length > 1 ? s[0] : "(other)", "", "");
    }

    /** The images of an OCI layout's index.json, with their platform when it is recorded. */
    static List<ImageEntry> imagesOfLayout(byte[] indexJson) {
        List<ImageEntry> images = new ArrayList<>();
        try {
            JsonNode root = new ObjectMapper().readTree(indexJson);
            for (JsonNode m : root.path("manifests")) {
                String ref = m.path("annotations")
                        .path("org.opencontainers.image.ref.name")
                        .asText("");
                JsonNode p = m.path("platform");
                String platform = "";
                if (p.has("architecture")) {
                    platform = p.path("os").asText("linux") + "/"
                            + p.path("architecture").asText()
                            + (p.has("variant") ? "/" + p.path("variant").asText() : "");
                }
                images.add(new ImageEntry(ref, "", platform, m.path("digest").asText("")));
            }
        } catch (IOException e) {
            return List.of();
        }
        return images;
    }

    static String name(TarArchiveEntry e) {
        return stripDot(e.getName());
    }

    private static String stripDot(String name) {
        String n = name;
        while (n.startsWith("./")) {
            n = n.substring(2);
        }
        return n;
    }

    private record Hashed(long size, String sha256) {}

    /** Reads {@code size} bytes (or to the end), hashing them and copying them to {@code out}. */
    private static Hashed hash(InputStream in, long size, OutputStream out) throws IOException {
        MessageDigest md = Hashing.sha256();
        byte[] buf = new byte[BUFFER];
        long total = 0;
        int n;
        while (total < size && (n = in.read(buf, 0, (int) Math.min(buf.length, size - total))) > 0) {
            md.update(buf, 0, n);
            if (out != null) {
                out.write(buf, 0, n);
            }
            total += n;
        }
        return new Hashed(total, HexFormat.of().formatHex(md.digest()));
    }

    /** A tar over the decompressed artifact, counting the compressed bytes read (for progress). */
    private static final class TarStream implements AutoCloseable {
        final Compression compression;
        final long fileSize;
        final TarArchiveInputStream in;
        private final Counting raw;

        private TarStream(Compression compression, long fileSize, TarArchiveInputStream in, Counting raw) {
            this.compression = compression;
            this.fileSize = fileSize;
            this.in = in;
            this.raw = raw;
        }

        static TarStream open(Path file) throws IOException {
            long size = Files.size(file);
            Counting raw = new Counting(
                    new BufferedInputStream(Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS), BUFFER));
            raw.mark(8);
            byte[] head = new byte[4];
            int n = raw.readNBytes(head, 0, 4);
            raw.reset();
            Compression c = Compression.sniff(head, n);
            try {
                return new TarStream(c, size, new TarArchiveInputStream(c.open(raw)), raw);
            } catch (IOException e) {
                raw.close();
                throw e;
            }
        }

        TarArchiveEntry next() throws IOException {
            return in.getNextEntry();
        }

        long counted() {
            return raw.count;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }

    private static final class Counting extends FilterInputStream {
        long count;
        private long marked;

        Counting(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }

        @Override
        public synchronized void mark(int limit) {
            super.mark(limit);
            marked = count;
        }

        @Override
        public synchronized void reset() throws IOException {
            super.reset();
            count = marked;
        }
    }
}
