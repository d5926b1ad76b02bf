package io.kk.export;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kk.artifact.ArtifactPaths;
import io.kk.artifact.ArtifactPiece;
import io.kk.artifact.ImageEntry;
import io.kk.error.KkException;
import io.kk.event.EventSink;
import io.kk.event.Progress;
import io.kk.image.Descriptor;
import io.kk.image.ImageReference;
import io.kk.image.Manifests;
import io.kk.image.Manifests.Manifest;
import io.kk.image.Platform;
import io.kk.image.layout.OciLayout;
import io.kk.image.registry.RegistryClient;
import io.kk.image.registry.RegistryCredentials;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Plans the images of an artifact as one OCI layout under {@code images/}, in the image engine's
 * convention ({@link OciLayout}): one {@code index.json} entry per image, named by its normalised
 * full reference (both {@code org.opencontainers.image.ref.name} and {@code
 * io.containerd.image.name}), pointing at the image's original index or manifest bytes. When the
 * Manifest's arches cover only some of an index's platforms, the index is rewritten with the
 * selected children only, as the image engine does for {@code --arch} (child digests kept).
 *
 * <p>Only manifests are read here; each distinct blob becomes one piece fetched at export time.
 */
final class ImagePlanner {
    private final RegistryCredentials credentials;
    private final RegistryClient.Options clientOptions;
    private final Map<String, RegistryClient> clients = new ConcurrentHashMap<>();

    ImagePlanner(RegistryCredentials credentials, RegistryClient.Options clientOptions) {
        this.credentials = credentials;
        this.clientOptions = clientOptions;
    }

    /** The pieces of the layout and the index's image list. */
    record Planned(List<ArtifactPiece> pieces, List<ImageEntry> entries, int images, long blobBytes) {}

    Planned plan(List<String> images, List<String> arches, EventSink events) {
        List<Platform> platforms = arches.stream().map(Platform::parse).toList();
        Map<String, ArtifactPiece> manifests = new LinkedHashMap<>();
        Map<String, ArtifactPiece> blobs = new LinkedHashMap<>();
        List<ImageEntry> entries = new ArrayList<>();
        ArrayNode indexEntries = Manifests.json().createArrayNode();
        int done = 0;
        for (String text : images) {
            ImageReference ref = ImageReference.parse(text);
            String name = ref.toString();
            RegistryClient client = client(ref.registry());
            Manifest root = client.getManifest(ref.repository(), ref.reference());
            List<Manifest> images1 = new ArrayList<>();
            List<Platform> imagePlatforms = new ArrayList<>();
            if (root.isIndex()) {
                List<Descriptor> all = root.children();
                List<Descriptor> kept = all.stream()
                        .filter(c -> c.platform() != null && platforms.stream().anyMatch(p -> p.selects(c.platform())))
                        .toList();
                if (kept.isEmpty()) {
                    throw KkException.invalidInput(
                            "image " + name + " has no manifest for the Manifest's arches " + arches,
                            "add one of its platforms to spec.arches, or remove the image from spec.images");
                }
                if (kept.size() != all.size()) {
                    root = Manifests.subsetIndex(root, kept);
                }
                for (Descriptor child : kept) {
                    Manifest m = client.getManifest(ref.repository(), child.digest());
                    images1.add(new Manifest(m.bytes(), child.mediaType(), m.digest()));
                    imagePlatforms.add(child.platform());
                }
            } else {
                images1.add(root);
                imagePlatforms.add(null);
            }
            manifests.putIfAbsent(root.digest(), manifestPiece(root));
            for (int i = 0; i < images1.size(); i++) {
                Manifest m = images1.get(i);
                manifests.putIfAbsent(m.digest(), manifestPiece(m));
                for (Descriptor b : m.blobs()) {
                    if (b.size() < 0) {
                        throw KkException.failed(
                                "image " + name + ": a blob descriptor of " + m.digest() + " has no size",
                                "the source registry serves an invalid manifest");
                    }
                    blobs.computeIfAbsent(
                            b.digest(),
                            d -> ArtifactPiece.file(
                                    ArtifactPaths.blob(d),
                                    b.size(),
                                    hex(d),
                                    new RegistryBlobSource(client, ref.repository(), b)));
                }
                Platform p = imagePlatforms.get(i);
                entries.add(new ImageEntry(name, text, p == null ? "" : p.toString(), m.digest()));
            }
            ObjectNode e = indexEntries.addObject();
            e.put("mediaType", root.mediaType());
            e.put("digest", root.digest());
            e.put("size", root.bytes().length);
            ObjectNode a = e.putObject("annotations");
            a.put(OciLayout.CONTAINERD_NAME, name);
            a.put(OciLayout.REF_NAME, name);
            done++;
            events.emit(new Progress(
                    "export/plan-images",
                    "Reading image manifests",
                    "images",
                    done,
                    images.size(),
                    done == images.size()));
        }
        ObjectNode index = Manifests.json().createObjectNode();
        index.put("schemaVersion", 2);
        index.set("manifests", indexEntries);
        List<ArtifactPiece> pieces = new ArrayList<>();
        if (images.isEmpty()) {
            return new Planned(pieces, entries, 0, 0);
        }
        pieces.add(ArtifactPiece.generated(
                ArtifactPaths.OCI_LAYOUT, "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes(StandardCharsets.UTF_8)));
        try {
            pieces.add(ArtifactPiece.generated(
                    ArtifactPaths.IMAGES_INDEX, Manifests.json().writeValueAsBytes(index)));
        } catch (IOException e) {
            throw KkException.internal("cannot write the image index", e);
        }
        for (Map.Entry<String, ArtifactPiece> m : manifests.entrySet()) {
            // a manifest that is also someone's blob (never in practice) is stored once
            blobs.remove(m.getKey());
            pieces.add(m.getValue());
        }
        pieces.addAll(blobs.values());
        long blobBytes = blobs.values().stream().mapToLong(ArtifactPiece::size).sum();
        return new Planned(pieces, entries, images.size(), blobBytes);
    }

    private RegistryClient client(String registry) {
        return clients.computeIfAbsent(
                ImageReference.normaliseRegistry(registry),
                r -> new RegistryClient(r, credentials.forHost(r), clientOptions));
    }

    private static ArtifactPiece manifestPiece(Manifest m) {
        ArtifactPiece generated = ArtifactPiece.generated(ArtifactPaths.blob(m.digest()), m.bytes());
        if (!generated.sha256().equals(hex(m.digest()))) {
            throw KkException.internal("manifest bytes do not match " + m.digest(), null);
        }
        return generated;
    }

    private static String hex(String digest) {
        return digest.substring(digest.indexOf(':') + 1);
    }
}
