package io.kk.download;

import io.kk.error.KkException;
import java.net.URI;
import java.util.Locale;
import java.util.Optional;

/**
 * Where kk fetches files from: the upstream sites, KubeKey's China mirrors ({@code KKZONE=cn}), or
 * one plain file server standing in for every upstream site ({@code --download-mirror BASE}).
 *
 * <p>A mirror maps {@code https://dl.k8s.io/release/v1.28.2/bin/linux/amd64/kubeadm} to {@code
 * BASE/dl.k8s.io/release/v1.28.2/bin/linux/amd64/kubeadm}; checksum files the same way. The mirror
 * always maps the global upstream URL, so an air-gapped mirror has one layout whatever the zone:
 * with a mirror the zone no longer changes where files come from.
 *
 * @param mirror the mirror base, if any (http or https, no query)
 * @param zone the zone, {@link Zone#CN} for KubeKey's China URLs
 */
public record DownloadSource(Optional<URI> mirror, Zone zone) {
    public enum Zone {
        DEFAULT,
        CN;

        /** Reads KubeKey's {@code KKZONE} value: "cn" (any case) is China, anything else default. */
        public static Zone fromKkZone(String value) {
            return value != null && value.trim().toLowerCase(Locale.ROOT).equals("cn") ? CN : DEFAULT;
        }
    }

    public static final DownloadSource UPSTREAM = new DownloadSource(Optional.empty(), Zone.DEFAULT);

    public DownloadSource {
        mirror = mirror.map(DownloadSource::checkedMirror);
        zone = zone == null ? Zone.DEFAULT : zone;
    }

    /** Builds the source from a {@code --download-mirror} value (null or blank for none) and a zone. */
    public static DownloadSource of(String mirror, Zone zone) {
        if (mirror == null || mirror.isBlank()) {
            return new DownloadSource(Optional.empty(), zone);
        }
        URI uri;
        try {
            uri = URI.create(mirror.trim());
        } catch (IllegalArgumentException e) {
            throw KkException.invalidInput(
                    "--download-mirror: '" + mirror + "' is not a URL",
                    "give the base URL of the mirror, e.g. http://mirror.local:8080/kk");
        }
        return new DownloadSource(Optional.of(uri), zone);
    }

    /** True when files come from KubeKey's China URLs (a zone of cn and no mirror). */
    public boolean chinaUrls() {
        return zone == Zone.CN && mirror.isEmpty();
    }

    /** The URL to fetch for an upstream URL: unchanged, or mapped into the mirror. */
    public URI map(URI upstream) {
        if (mirror.isEmpty()) {
            return upstream;
        }
        String base = mirror.get().toString();
        if (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        String authority = upstream.getRawAuthority() == null ? "" : upstream.getRawAuthority();
        String path = upstream.getRawPath() == null ? "" : upstream.getRawPath();
        String query = upstream.getRawQuery() == null ? "" : "?" + upstream.getRawQuery();
        return URI.create(base + "/" + authority + path + query);
    }

    public URI map(String upstream) {
        return map(URI.create(upstream));
    }

    private static URI checkedMirror(URI uri) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
            throw KkException.invalidInput(
                    "--download-mirror: '" + uri + "' is not an http(s) URL with a host",
                    "give the base URL of the mirror, e.g. http://mirror.local:8080/kk");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw KkException.invalidInput(
                    "--download-mirror: '" + uri + "' has a query or fragment",
                    "give a plain base URL; kk appends <upstream host><upstream path> to it");
        }
        if (uri.getRawUserInfo() != null) {
            // Credentials in a URL end up in logs and error messages; refuse them.
            throw KkException.invalidInput(
                    "--download-mirror: the URL carries credentials", "remove user:password@ from the mirror URL");
        }
        return uri;
    }
}
