package io.kk.image;

import io.kk.error.KkException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A normalised image reference: {@code registry/repository[:tag][@digest]}. Docker Hub rules apply:
 * the first path component is a registry only if it contains {@code .} or {@code :} or is {@code
 * localhost}; otherwise the registry is {@code docker.io} and a one-part name gets {@code library/}.
 *
 * @param registry host[:port], {@code docker.io} for Docker Hub
 * @param repository the path inside the registry, e.g. {@code library/nginx}
 * @param tag the tag, or null when only a digest is given
 * @param digest {@code sha256:<hex>}, or null
 */
public record ImageReference(String registry, String repository, String tag, String digest) {
    public static final String DOCKER_HUB = "docker.io";

    private static final Pattern PATH_COMPONENT = Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*");
    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,127}");

    public ImageReference {
        if (tag == null && digest == null) {
            throw new IllegalArgumentException("a reference needs a tag or a digest");
        }
    }

    /** Parses and normalises {@code nginx}, {@code quay.io/a/b:1}, {@code host:5000/x@sha256:..}. */
    public static ImageReference parse(String text) {
        if (text == null || text.isBlank()) {
            throw bad(String.valueOf(text), "it is empty");
        }
        String rest = text.trim();
        String digest = null;
        int at = rest.indexOf('@');
        if (at >= 0) {
            digest = rest.substring(at + 1);
            rest = rest.substring(0, at);
            if (!Digests.isValid(digest)) {
                throw bad(text, "the digest is not sha256:<64 hex>");
            }
        }
        String tag = null;
        int colon = rest.lastIndexOf(':');
        if (colon > rest.lastIndexOf('/')) {
            tag = rest.substring(colon + 1);
            rest = rest.substring(0, colon);
            if (!TAG.matcher(tag).matches()) {
                throw bad(text, "the tag '" + tag + "' is not valid");
            }
        }
        String registry = DOCKER_HUB;
        int slash = rest.indexOf('/');
        if (slash > 0) {
            String first = rest.substring(0, slash);
            if (first.contains(".") || first.contains(":") || first.equals("localhost")) {
                registry = normaliseRegistry(first);
                rest = rest.substring(slash + 1);
            }
        }
        if (registry.equals(DOCKER_HUB) && !rest.contains("/")) {
            rest = "library/" + rest;
        }
        for (String part : rest.split("/", -1)) {
            if (!PATH_COMPONENT.matcher(part).matches()) {
                throw bad(text, "the repository path '" + rest + "' is not lowercase [a-z0-9] parts joined by . _ -");
            }
        }
        if (tag == null && digest == null) {
            tag = "latest";
        }
        return new ImageReference(registry, rest, tag, digest);
    }

    /** Docker Hub's three names are one registry. */
    public static String normaliseRegistry(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.equals("index.docker.io") || h.equals("registry-1.docker.io")) {
            return DOCKER_HUB;
        }
        return host;
    }

    /** The host the API is served from ({@code registry-1.docker.io} for Docker Hub). */
    public String apiHost() {
        return registry.equals(DOCKER_HUB) ? "registry-1.docker.io" : registry;
    }

    /** {@code registry/repository}. */
    public String name() {
        return registry + "/" + repository;
    }

    /** What goes into a manifest URL: the digest when known, else the tag. */
    public String reference() {
        return digest != null ? digest : tag;
    }

    public ImageReference withTag(String newTag) {
        return new ImageReference(registry, repository, newTag, null);
    }

    public ImageReference withDigest(String newDigest) {
        return new ImageReference(registry, repository, tag, newDigest);
    }

    @Override
    public String toString() {
        return name() + (tag != null ? ":" + tag : "") + (digest != null ? "@" + digest : "");
    }

    private static KkException bad(String text, String why) {
        return KkException.invalidInput(
                "invalid image reference '" + text + "': " + why,
                "write it as [host[:port]/]path[:tag][@sha256:<hex>], e.g. docker.io/calico/cni:v3.23.2");
    }
}
