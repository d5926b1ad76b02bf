package io.kk.testkit.registry;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kk.image.Descriptor;
import io.kk.image.Digests;
import io.kk.image.MediaTypes;
import io.kk.image.layout.OciLayout;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Builds multi-arch test images straight into an OCI layout: per arch a shared base layer (the same
 * bytes for every image of that arch, as a common base image) plus layers of random content of the
 * chosen sizes, a config with real diff_ids, a manifest per arch and an index, in Docker or OCI
 * media types. Push them to a registry with kk's copier (layout -> registry).
 */
public final class TestImages {
    private static final ObjectMapper JSON = new ObjectMapper();

    private TestImages() {}

    /** What was built: the index digest and the platform manifests' digests by arch. */
    public record Built(String refName, Descriptor index, Map<String, String> manifestByArch, List<String> blobs) {}

    /** One image's shape. */
    public record Spec(
            String refName, List<String> arches, int baseSize, int[] layerSizes, boolean dockerTypes, long seed) {
        public static Spec small(String refName, long seed) {
            return new Spec(refName, List.of("amd64", "arm64"), 64 * 1024, new int[] {32 * 1024, 1024}, false, seed);
        }

        public Spec docker() {
            return new Spec(refName, arches, baseSize, layerSizes, true, seed);
        }
    }

    public static Built build(OciLayout layout, Spec spec) {
        String manifestType = spec.dockerTypes() ? MediaTypes.DOCKER_MANIFEST : MediaTypes.OCI_MANIFEST;
        String configType = spec.dockerTypes() ? MediaTypes.DOCKER_CONFIG : MediaTypes.OCI_CONFIG;
        String layerType = spec.dockerTypes() ? MediaTypes.DOCKER_LAYER_GZIP : MediaTypes.OCI_LAYER_GZIP;
        String indexType = spec.dockerTypes() ? MediaTypes.DOCKER_LIST : MediaTypes.OCI_INDEX;
        Map<String, String> byArch = new LinkedHashMap<>();
        List<String> blobs = new ArrayList<>();
        ArrayNode children = JSON.createArrayNode();
        for (String arch : spec.arches()) {
            List<Layer> layers = new ArrayList<>();
            layers.add(layer(spec.baseSize(), ("base-" + arch).hashCode()));
            for (int i = 0; i < spec.layerSizes().length; i++) {
                layers.add(layer(spec.layerSizes()[i], spec.seed() * 1000 + i * 17L + arch.hashCode()));
            }
            ObjectNode config = JSON.createObjectNode();
            config.put("architecture", arch);
            config.put("os", "linux");
            config.putObject("config").putArray("Cmd").add("/file0");
            ObjectNode rootfs = config.putObject("rootfs");
            rootfs.put("type", "layers");
            ArrayNode diffIds = rootfs.putArray("diff_ids");
            layers.forEach(l -> diffIds.add(l.diffId));
            byte[] configBytes = bytes(config);
            String configDigest = layout.writeBlob(configBytes);
            ObjectNode manifest = JSON.createObjectNode();
            manifest.put("schemaVersion", 2);
            manifest.put("mediaType", manifestType);
            ObjectNode cfg = manifest.putObject("config");
            cfg.put("mediaType", configType);
            cfg.put("size", configBytes.length);
            cfg.put("digest", configDigest);
            blobs.add(configDigest);
            ArrayNode ls = manifest.putArray("layers");
            for (Layer l : layers) {
                String d = layout.writeBlob(l.gz);
                blobs.add(d);
                ObjectNode ln = ls.addObject();
                ln.put("mediaType", layerType);
                ln.put("size", l.gz.length);
                ln.put("digest", d);
            }
            byte[] manifestBytes = bytes(manifest);
            String manifestDigest = layout.writeBlob(manifestBytes);
            byArch.put(arch, manifestDigest);
            ObjectNode child = children.addObject();
            child.put("mediaType", manifestType);
            child.put("size", manifestBytes.length);
            child.put("digest", manifestDigest);
            ObjectNode p = child.putObject("platform");
            p.put("architecture", arch);
            p.put("os", "linux");
        }
        ObjectNode index = JSON.createObjectNode();
        index.put("schemaVersion", 2);
        index.put("mediaType", indexType);
        index.set("manifests", children);
        byte[] indexBytes = bytes(index);
        String indexDigest = layout.writeBlob(indexBytes);
        Descriptor d = Descriptor.of(indexType, indexDigest, indexBytes.length);
        layout.putEntry(spec.refName(), d);
        return new Built(spec.refName(), d, byArch, blobs);
    }

    /**
     * A runnable one-layer amd64 image holding Debian's busybox-static ({@code /bin/busybox}, with
     * {@code sh} and {@code echo} as symlinks to it), written under {@code refName}; returns the
     * index descriptor (an OCI index with the one manifest).
     */
    public static Descriptor busybox(OciLayout layout, String refName) {
        try {
            ByteArrayOutputStream gz = new ByteArrayOutputStream();
            MessageDigest tarSum = Digests.newSha256();
            try (GZIPOutputStream g = new GZIPOutputStream(gz);
                    DigestOutputStream d = new DigestOutputStream(g, tarSum);
                    TarArchiveOutputStream tar = new TarArchiveOutputStream(d)) {
                TarArchiveEntry bin = new TarArchiveEntry("bin/");
                bin.setMode(040755);
                tar.putArchiveEntry(bin);
                tar.closeArchiveEntry();
                byte[] busybox = java.nio.file.Files.readAllBytes(java.nio.file.Path.of("/bin/busybox"));
                TarArchiveEntry b = new TarArchiveEntry("bin/busybox");
                b.setSize(busybox.length);
                b.setMode(0100755);
                tar.putArchiveEntry(b);
                tar.write(busybox);
                tar.closeArchiveEntry();
                for (String applet : List.of("sh", "echo")) {
                    TarArchiveEntry l = new TarArchiveEntry("bin/" + applet, TarArchiveEntry.LF_SYMLINK);
                    l.setLinkName("busybox");
                    tar.putArchiveEntry(l);
                    tar.closeArchiveEntry();
                }
            }
            byte[] layer = gz.toByteArray();
            String layerDigest = layout.writeBlob(layer);
            ObjectNode config = JSON.createObjectNode();
            config.put("architecture", "amd64");
            config.put("os", "linux");
            config.putObject("config").putArray("Cmd").add("/bin/sh");
            ObjectNode rootfs = config.putObject("rootfs");
            rootfs.put("type", "layers");
            rootfs.putArray("diff_ids").add(Digests.format(tarSum));
            byte[] configBytes = bytes(config);
            String configDigest = layout.writeBlob(configBytes);
            Map<String, Object> manifest = new LinkedHashMap<>();
            manifest.put("schemaVersion", 2);
            manifest.put("mediaType", MediaTypes.OCI_MANIFEST);
            manifest.put(
                    "config",
                    Map.of("mediaType", MediaTypes.OCI_CONFIG, "size", configBytes.length, "digest", configDigest));
            manifest.put(
                    "layers",
                    List.of(Map.of(
                            "mediaType", MediaTypes.OCI_LAYER_GZIP, "size", layer.length, "digest", layerDigest)));
            byte[] manifestBytes = JSON.writeValueAsBytes(manifest);
            String manifestDigest = layout.writeBlob(manifestBytes);
            Map<String, Object> index = new LinkedHashMap<>();
            index.put("schemaVersion", 2);
            index.put("mediaType", MediaTypes.OCI_INDEX);
            index.put(
                    "manifests",
                    List.of(Map.of(
                            "mediaType",
                            MediaTypes.OCI_MANIFEST,
                            "size",
                            manifestBytes.length,
                            "digest",
                            manifestDigest,
                            "platform",
                            Map.of("architecture", "amd64", "os", "linux"))));
            byte[] indexBytes = JSON.writeValueAsBytes(index);
            Descriptor d = Descriptor.of(MediaTypes.OCI_INDEX, layout.writeBlob(indexBytes), indexBytes.length);
            layout.putEntry(refName, d);
            return d;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private record Layer(byte[] gz, String diffId) {}

    /** A tar with one file of random bytes, gzip-wrapped without compression (fast, incompressible anyway). */
    private static Layer layer(int size, long seed) {
        byte[] content = new byte[size];
        new Random(seed).nextBytes(content);
        try {
            ByteArrayOutputStream gz = new ByteArrayOutputStream(size + 4096);
            MessageDigest tarDigest = Digests.newSha256();
            try (OutputStream gzip = new GZIPOutputStream(gz) {
                        {
                            def.setLevel(Deflater.NO_COMPRESSION);
                        }
                    };
                    DigestOutputStream tarHashed = new DigestOutputStream(gzip, tarDigest);
                    TarArchiveOutputStream tar = new TarArchiveOutputStream(tarHashed)) {
                TarArchiveEntry e = new TarArchiveEntry("file0");
                e.setSize(size);
                e.setModTime(0);
                tar.putArchiveEntry(e);
                tar.write(content);
                tar.closeArchiveEntry();
                tar.finish();
            }
            return new Layer(gz.toByteArray(), Digests.format(tarDigest));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] bytes(ObjectNode node) {
        try {
            return JSON.writeValueAsString(node).getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
