package io.kk.image.copy;

import io.kk.image.ImageReference;
import io.kk.image.layout.OciLayout;

/** One end of an image copy: an image in a registry, or a named entry of an OCI layout. */
public sealed interface ImageEndpoint {
    /** A registry image; as a destination, the tag (or digest) it is pushed under. */
    record InRegistry(ImageReference ref) implements ImageEndpoint {
        @Override
        public String toString() {
            return ref.toString();
        }
    }

    /** A layout entry; as a destination, the {@code ref.name} it is written under. */
    record InLayout(OciLayout layout, String refName) implements ImageEndpoint {
        @Override
        public String toString() {
            return "oci:" + layout.dir() + ":" + refName;
        }
    }
}
