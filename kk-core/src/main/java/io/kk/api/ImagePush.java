package io.kk.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kk.error.KkException;
import io.kk.event.EventSink;
import io.kk.event.Note;
import io.kk.image.ImageReference;
import io.kk.image.Manifests;
import io.kk.image.Manifests.Manifest;
import io.kk.image.MediaTypes;
import io.kk.image.Platform;
import io.kk.image.RegistryTarget;
import io.kk.image.copy.CopySummary;
import io.kk.image.copy.CopySummary.CopiedImage;
import io.kk.image.copy.ImageCopier;
import io.kk.image.copy.ImageEndpoint.InLayout;
import io.kk.image.copy.ImageEndpoint.InRegistry;
import io.kk.image.layout.KubeKeyRefName;
import io.kk.image.layout.OciLayout;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code kk artifact images push}: every image of an artifact's OCI layout into the target
 * registry, names rewritten as KubeKey does ({@link RegistryTarget}).
 *
 * <p>kk's own entries (full multi-arch indexes) are pushed byte-for-byte under their tag. KubeKey v2
 * entries (one single-arch manifest per {@code <image>-<arch>} name) are pushed as KubeKey does:
 * each under {@code <tag>-<arch>}, then one multi-arch list per image under the plain tag (a Docker
 * manifest list when every child is a Docker manifest, else an OCI index), so nodes can pull the
 * plain tag.
 */
public final class ImagePush {
    private ImagePush() {}

    public static CopySummary push(
            Path layoutDir, RegistryTarget target, ImageCopier.Options options, EventSink events) {
        OciLayout layout = OciLayout.open(layoutDir);
        List<ImageCopier.Request> requests = new ArrayList<>();
        Map<String, ImageCopier.Request> byDestination = new LinkedHashMap<>();
        // KubeKey groups: plain-tag destination -> platform per arch-tag destination
        Map<ImageReference, Map<ImageReference, Platform>> groups = new LinkedHashMap<>();
        for (OciLayout.Entry e : layout.entries()) {
            if (e.refName() == null) {
                events.emit(
                        Note.warn("skipping an unnamed entry " + e.descriptor().digest() + " in " + layout.dir()));
                continue;
            }
            KubeKeyRefName kk =
                    e.writtenByKk() || MediaTypes.isIndex(e.descriptor().mediaType())
                            ? null
                            : KubeKeyRefName.parse(e.refName());
            ImageReference dest;
            if (kk != null) {
                if (!options.platforms().isEmpty()
                        && options.platforms().stream().noneMatch(p -> p.selects(kk.platform()))) {
                    continue;
                }
                String repo = target.repositoryFor(kk.namespace(), kk.repo());
                dest = ImageReference.parse(repo + ":" + kk.archTag());
                groups.computeIfAbsent(ImageReference.parse(repo + ":" + kk.tag()), k -> new LinkedHashMap<>())
                        .put(dest, kk.platform());
            } else {
                dest = target.destinationFor(ImageReference.parse(e.refName()));
            }
            ImageCopier.Request r = new ImageCopier.Request(new InLayout(layout, e.refName()), new InRegistry(dest));
            ImageCopier.Request before = byDestination.put(dest.toString(), r);
            if (before != null) {
                requests.remove(before);
                events.emit(Note.warn(
                        before.source() + " and " + r.source() + " both map to " + dest + "; the last one is pushed"));
            }
            requests.add(r);
        }
        ImageCopier copier = new ImageCopier(options);
        CopySummary summary = copier.copy(requests, events);
        if (groups.isEmpty()) {
            return summary;
        }
        Map<String, CopiedImage> pushed = new LinkedHashMap<>();
        summary.images().forEach(i -> pushed.put(i.destination(), i));
        List<CopiedImage> all = new ArrayList<>(summary.images());
        groups.forEach((plain, members) -> all.add(pushList(copier, plain, members, pushed)));
        return new CopySummary(
                all,
                summary.bytesTransferred(),
                summary.blobsTransferred(),
                summary.blobsSkipped(),
                summary.blobsMounted());
    }

    private static CopiedImage pushList(
            ImageCopier copier,
            ImageReference plain,
            Map<ImageReference, Platform> members,
            Map<String, CopiedImage> pushed) {
        boolean allDocker = true;
        ObjectNode index = Manifests.json().createObjectNode();
        index.put("schemaVersion", 2);
        ArrayNode manifests = Manifests.json().createArrayNode();
        List<String> children = new ArrayList<>();
        for (Map.Entry<ImageReference, Platform> m : members.entrySet()) {
            CopiedImage child = pushed.get(m.getKey().toString());
            if (child == null) {
                throw KkException.internal("the image " + m.getKey() + " was not pushed", null);
            }
            allDocker &= MediaTypes.DOCKER_MANIFEST.equals(child.mediaType());
            var d = copier.client(plain.registry())
                    .headManifest(plain.repository(), child.digest())
                    .orElseThrow();
            ObjectNode e = manifests.addObject();
            e.put("mediaType", child.mediaType());
            e.put("size", d.size());
            e.put("digest", child.digest());
            ObjectNode p = e.putObject("platform");
            p.put("architecture", m.getValue().architecture());
            p.put("os", m.getValue().os());
            if (!m.getValue().variant().isEmpty()) {
                p.put("variant", m.getValue().variant());
            }
            children.add(child.digest());
        }
        String type = allDocker ? MediaTypes.DOCKER_LIST : MediaTypes.OCI_INDEX;
        index.put("mediaType", type);
        index.set("manifests", manifests);
        Manifest list;
        try {
            list = Manifest.of(Manifests.json().writeValueAsBytes(index), type);
        } catch (IOException e) {
            throw KkException.internal("cannot write a manifest list", e);
        }
        copier.client(plain.registry()).putManifest(plain.repository(), plain.tag(), list);
        return new CopiedImage(
                "kubekey-entries:" + members.keySet(), plain.toString(), list.digest(), type, children, false);
    }
}
