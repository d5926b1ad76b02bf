package io.kk.api;

import io.kk.event.EventSink;
import io.kk.image.ImageReference;
import io.kk.image.copy.CopySummary;
import io.kk.image.copy.ImageCopier;
import io.kk.image.copy.ImageEndpoint.InLayout;
import io.kk.image.copy.ImageEndpoint.InRegistry;
import io.kk.image.layout.OciLayout;
import java.nio.file.Path;
import java.util.List;

/**
 * Images from registries into one OCI layout (an artifact's {@code images/}), each entry named by
 * its normalised full reference and holding the original index or manifest (all platforms, or the
 * subset in the options), so digests are kept.
 */
public final class ImageExport {
    private ImageExport() {}

    public static CopySummary export(
            List<String> images, Path layoutDir, ImageCopier.Options options, EventSink events) {
        OciLayout layout = OciLayout.create(layoutDir);
        List<ImageCopier.Request> requests = images.stream()
                .map(ImageReference::parse)
                .map(ref -> new ImageCopier.Request(new InRegistry(ref), new InLayout(layout, ref.toString())))
                .toList();
        return new ImageCopier(options).copy(requests, events);
    }
}
