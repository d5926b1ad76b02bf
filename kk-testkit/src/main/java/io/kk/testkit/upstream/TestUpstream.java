package io.kk.testkit.upstream;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * A stand-in for the upstream download sites, served on loopback as a {@code --download-mirror}
 * ({@code BASE/<upstream host><upstream path>}): release-style tarballs made from Debian's real
 * etcd, containerd, runc, CNI plugins and registry binaries, with the checksum files each project
 * publishes beside its releases. The versions are Debian's, which kk's catalog does not list, so
 * kk must find their checksums upstream (or in {@code spec.checksums} for the registry, whose
 * releases carry none). It also serves a Helm chart repository at {@link #CHART_REPO} (an
 * index.yaml and chart packages made here, one of them listed with a wrong digest). The server
 * honours HEAD and Range, logs requests, and can corrupt a file.
 */
public final class TestUpstream implements AutoCloseable {
    public static final String ETCD = "v3.4.23";
    // "-debian": kk's catalog lists upstream 1.6.20 and v1.1.1, whose digests these files cannot match
    public static final String CONTAINERD = "1.6.20-debian";
    public static final String RUNC = "v1.1.5";
    public static final String CNI = "v1.1.1-debian";
    public static final String REGISTRY = "2.8.2";
    public static final String ARCH = "amd64";

    /**
     * The chart repository's upstream URL (served through the mirror). Its index lists {@code hello}
     * 0.1.0 and 0.2.0 (absolute URLs), {@code web-app} 1.2.3 (a relative URL) and {@code tampered}
     * 1.0.0, whose index digest does not match the package served, and {@code no-digest} 0.4.0,
     * listed without a digest.
     */
    public static final String CHART_REPO = "https://charts.example.io/stable";

    private final Path root;
    private final HttpServer server; // null only in writeFiles, whose instance does not escape
    private final List<String> requests = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, String> sha256 = new java.util.concurrent.ConcurrentHashMap<>();

    private TestUpstream(Path root, boolean serve) throws IOException {
        this.root = root;
        build();
        if (!serve) {
            server = null;
            return;
        }
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::serve);
        server.setExecutor(Executors.newFixedThreadPool(8));
        server.start();
    }

    /** Builds the release files under {@code dir} and serves them. */
    public static TestUpstream start(Path dir) {
        try {
            return new TestUpstream(dir, true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Builds the release files under {@code dir} without serving them: for tests that copy the
     * binaries into an artifact directory themselves.
     */
    public static void writeFiles(Path dir) {
        try {
            new TestUpstream(dir, false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The value for {@code --download-mirror}. */
    public String mirrorUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Paths asked for (with method), in order: tests check what was (not) fetched again. */
    public List<String> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    /** The sha256 of a release file by its file name, e.g. {@code registry-2.8.2-linux-amd64.tar.gz}. */
    public String sha256(String fileName) {
        return sha256.get(fileName);
    }

    /** The registry tarball's name; its checksum must come from the Manifest's spec.checksums. */
    public static String registryFile() {
        return "registry-" + REGISTRY + "-linux-" + ARCH + ".tar.gz";
    }

    /** The sha256 of a served chart package, e.g. {@code hello-0.1.0.tgz}. */
    public String chartSha256(String name, String version) {
        return sha256.get(name + "-" + version + ".tgz");
    }

    /** The served chart package {@code <name>-<version>.tgz}. */
    public Path chartFile(String name, String version) {
        return root.resolve("charts.example.io/stable/" + name + "-" + version + ".tgz");
    }

    /**
     * Writes a Helm chart package (what {@code helm package} makes): {@code <name>/Chart.yaml},
     * {@code values.yaml} and a ConfigMap template, so it installs on a real cluster. Byte-identical
     * for the same arguments.
     */
    public static Path chartPackage(Path out, String name, String version) {
        Map<String, byte[]> files = new java.util.TreeMap<>();
        files.put(
                name + "/Chart.yaml",
                utf8("apiVersion: v2\nname: " + name + "\nversion: " + version + "\nappVersion: \"" + version
                        + "\"\ndescription: a kk test chart\ntype: application\n"));
        files.put(name + "/values.yaml", utf8("greeting: hello from " + name + "\n"));
        files.put(
                name + "/templates/configmap.yaml",
                utf8("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-" + name
                        + "\ndata:\n  greeting: {{ .Values.greeting | quote }}\n  version: \"" + version + "\"\n"));
        try {
            Files.createDirectories(out.toAbsolutePath().getParent());
            try (OutputStream fos = Files.newOutputStream(out);
                    GZIPOutputStream gz = new GZIPOutputStream(fos);
                    TarArchiveOutputStream tar = new TarArchiveOutputStream(gz)) {
                for (Map.Entry<String, byte[]> e : files.entrySet()) {
                    TarArchiveEntry te = new TarArchiveEntry(e.getKey());
                    te.setSize(e.getValue().length);
                    te.setMode(0100644);
                    te.setModTime(0);
                    tar.putArchiveEntry(te);
                    tar.write(e.getValue());
                    tar.closeArchiveEntry();
                }
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Flips one byte in the middle of a served file (its published checksum stays as it was). */
    public void corrupt(String fileName) {
        try (var files = Files.walk(root)) {
            Path p = files.filter(f -> f.getFileName().toString().equals(fileName))
                    .findFirst()
                    .orElseThrow();
            try (RandomAccessFile raf = new RandomAccessFile(p.toFile(), "rw")) {
                long at = raf.length() / 2;
                raf.seek(at);
                int b = raf.read();
                raf.seek(at);
                raf.write(b ^ 0xff);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }

    // ------------------------------------------------------------------ release files

    private void build() throws IOException {
        String gh = "github.com/";
        // etcd: a directory inside the tarball, SHA256SUMS beside the release
        String etcdFile = "etcd-" + ETCD + "-linux-" + ARCH + ".tar.gz";
        Path etcdDir = root.resolve(gh + "coreos/etcd/releases/download/" + ETCD);
        String etcdTop = "etcd-" + ETCD + "-linux-" + ARCH + "/";
        tarGz(
                etcdDir.resolve(etcdFile),
                Map.of(etcdTop + "etcd", Path.of("/usr/bin/etcd"), etcdTop + "etcdctl", Path.of("/usr/bin/etcdctl")));
        Files.writeString(etcdDir.resolve("SHA256SUMS"), sum(etcdDir.resolve(etcdFile)) + "  " + etcdFile + "\n");

        // containerd: bin/ inside, <file>.sha256sum beside
        String ctrFile = "containerd-" + CONTAINERD + "-linux-" + ARCH + ".tar.gz";
        Path ctrDir = root.resolve(gh + "containerd/containerd/releases/download/v" + CONTAINERD);
        tarGz(
                ctrDir.resolve(ctrFile),
                Map.of(
                        "bin/containerd", Path.of("/usr/bin/containerd"),
                        "bin/containerd-shim-runc-v2", Path.of("/usr/bin/containerd-shim-runc-v2"),
                        "bin/ctr", Path.of("/usr/bin/ctr")));
        Files.writeString(ctrDir.resolve(ctrFile + ".sha256sum"), sum(ctrDir.resolve(ctrFile)) + "  " + ctrFile + "\n");

        // runc: a bare binary, runc.sha256sum beside
        Path runcDir = root.resolve(gh + "opencontainers/runc/releases/download/" + RUNC);
        Files.createDirectories(runcDir);
        Files.copy(Path.of("/usr/sbin/runc"), runcDir.resolve("runc." + ARCH));
        Files.writeString(
                runcDir.resolve("runc.sha256sum"), sum(runcDir.resolve("runc." + ARCH)) + "  runc." + ARCH + "\n");

        // CNI plugins: flat tarball, <file>.sha256 beside
        String cniFile = "cni-plugins-linux-" + ARCH + "-" + CNI + ".tgz";
        Path cniDir = root.resolve(gh + "containernetworking/plugins/releases/download/" + CNI);
        Map<String, Path> plugins = new java.util.TreeMap<>();
        try (var list = Files.list(Path.of("/usr/lib/cni"))) {
            list.filter(Files::isRegularFile).forEach(p -> plugins.put("./" + p.getFileName(), p));
        }
        tarGz(cniDir.resolve(cniFile), plugins);
        Files.writeString(cniDir.resolve(cniFile + ".sha256"), sum(cniDir.resolve(cniFile)) + "  " + cniFile + "\n");

        // registry: KubeKey's own release of Docker distribution; no checksum file
        Path regDir = root.resolve(gh + "kubesphere/kubekey/releases/download/v2.0.0-alpha.1");
        tarGz(regDir.resolve(registryFile()), Map.of("registry", Path.of("/usr/bin/docker-registry")));
        sum(regDir.resolve(registryFile()));

        // a Helm chart repository: index.yaml with absolute and relative URLs, one digest wrong, one missing
        Path charts = root.resolve("charts.example.io/stable");
        StringBuilder index = new StringBuilder("apiVersion: v1\nentries:\n");
        String[][] releases = {
            {"hello", "0.2.0"}, {"hello", "0.1.0"}, {"tampered", "1.0.0"}, {"web-app", "1.2.3"}, {"no-digest", "0.4.0"}
        };
        String last = "";
        for (String[] r : releases) {
            String file = r[0] + "-" + r[1] + ".tgz";
            String digest = sum(chartPackage(charts.resolve(file), r[0], r[1]));
            if (r[0].equals("tampered")) {
                digest = sum(chartPackage(root.resolve("tampered-original.tgz"), r[0], r[1] + "-original"));
                sha256.put(file, sum(charts.resolve(file)));
            }
            if (!r[0].equals(last)) {
                index.append("  ").append(r[0]).append(":\n");
                last = r[0];
            }
            String url = r[0].equals("web-app") ? file : CHART_REPO + "/" + file;
            index.append("  - apiVersion: v2\n    name: ")
                    .append(r[0])
                    .append("\n    version: ")
                    .append(r[1]);
            if (!r[0].equals("no-digest")) {
                index.append("\n    digest: ").append(digest);
            }
            index.append("\n    urls:\n    - ").append(url).append('\n');
        }
        index.append("generated: \"2026-01-01T00:00:00Z\"\n");
        Files.writeString(charts.resolve("index.yaml"), index.toString());
    }

    private String sum(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
            }
            String hex = HexFormat.of().formatHex(md.digest());
            sha256.put(file.getFileName().toString(), hex);
            return hex;
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Built tarballs, shared by every TestUpstream on this machine: building them (about 190 MB of
     * Debian binaries gzipped) took 15 s of each IT class under load, the same bytes every time
     * (fixed order, modes, times). Keyed by the entries' names and their sources' size and mtime,
     * so an upgraded package gets a new one. Written to a unique name and renamed: concurrent
     * builders write the same bytes.
     */
    private static final Path TARBALL_CACHE = Path.of(System.getProperty("java.io.tmpdir"), "kk-test-upstream");

    private static void tarGz(Path out, Map<String, Path> entries) throws IOException {
        Files.createDirectories(out.getParent());
        StringBuilder key = new StringBuilder("gzip-1\n");
        for (Map.Entry<String, Path> e : new java.util.TreeMap<>(entries).entrySet()) {
            key.append(e.getKey())
                    .append(' ')
                    .append(e.getValue())
                    .append(' ')
                    .append(Files.size(e.getValue()))
                    .append(' ')
                    .append(Files.getLastModifiedTime(e.getValue()).toMillis())
                    .append('\n');
        }
        Path cached = TARBALL_CACHE.resolve(hex(key.toString()) + ".tar.gz");
        if (!Files.isRegularFile(cached)) {
            Files.createDirectories(TARBALL_CACHE);
            Path tmp = Files.createTempFile(TARBALL_CACHE, "build-", ".tmp");
            try {
                writeTarGz(tmp, entries);
                Files.setPosixFilePermissions(
                        tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
                Files.move(tmp, cached, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
        }
        // a copy: tests change served files (corrupt) and must not change the cache
        Files.copy(cached, out);
    }

    private static String hex(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)))
                    .substring(0, 32);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void writeTarGz(Path out, Map<String, Path> entries) throws IOException {
        try (OutputStream fos = Files.newOutputStream(out);
                // the fastest level: 3x faster than the default for binaries, and nothing here needs
                // the last few percent of size
                GZIPOutputStream gz = new GZIPOutputStream(fos, 1 << 16) {
                    {
                        def.setLevel(java.util.zip.Deflater.BEST_SPEED);
                    }
                };
                TarArchiveOutputStream tar = new TarArchiveOutputStream(gz)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (Map.Entry<String, Path> e : new java.util.TreeMap<>(entries).entrySet()) {
                TarArchiveEntry te = new TarArchiveEntry(e.getKey());
                te.setSize(Files.size(e.getValue()));
                te.setMode(0100755);
                te.setModTime(0);
                tar.putArchiveEntry(te);
                Files.copy(e.getValue(), tar);
                tar.closeArchiveEntry();
            }
        }
    }

    // ------------------------------------------------------------------ serving

    private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-(\\d*)");

    private void serve(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getPath();
            requests.add(ex.getRequestMethod() + " " + path + rangeNote(ex));
            Path file = root.resolve(path.substring(1)).normalize();
            if (!file.startsWith(root) || !Files.isRegularFile(file)) {
                ex.sendResponseHeaders(404, -1);
                return;
            }
            long size = Files.size(file);
            long from = 0;
            long to = size - 1;
            int status = 200;
            String range = ex.getRequestHeaders().getFirst("Range");
            if (range != null) {
                Matcher m = RANGE.matcher(range);
                if (m.matches()) {
                    from = Long.parseLong(m.group(1));
                    if (!m.group(2).isEmpty()) {
                        to = Math.min(to, Long.parseLong(m.group(2)));
                    }
                    if (from >= size) {
                        ex.getResponseHeaders().add("Content-Range", "bytes */" + size);
                        ex.sendResponseHeaders(416, -1);
                        return;
                    }
                    status = 206;
                    ex.getResponseHeaders().add("Content-Range", "bytes " + from + "-" + to + "/" + size);
                }
            }
            long length = to - from + 1;
            ex.getResponseHeaders().add("Accept-Ranges", "bytes");
            if ("HEAD".equals(ex.getRequestMethod())) {
                ex.getResponseHeaders().add("Content-Length", Long.toString(length));
                ex.sendResponseHeaders(status, -1);
                return;
            }
            ex.sendResponseHeaders(status, length);
            try (InputStream in = Files.newInputStream(file);
                    OutputStream out = ex.getResponseBody()) {
                in.skipNBytes(from);
                byte[] buf = new byte[1 << 16];
                long left = length;
                while (left > 0) {
                    int n = in.read(buf, 0, (int) Math.min(buf.length, left));
                    if (n < 0) {
                        break;
                    }
                    out.write(buf, 0, n);
                    left -= n;
                }
            }
        }
    }

    private static String rangeNote(HttpExchange ex) {
        String r = ex.getRequestHeaders().getFirst("Range");
        return r == null ? "" : " [" + r + "]";
    }

    /** For debugging a test: the request log as text. */
    @Override
    public String toString() {
        return "TestUpstream " + mirrorUrl() + "\n" + String.join("\n", requests()) + "\n";
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
