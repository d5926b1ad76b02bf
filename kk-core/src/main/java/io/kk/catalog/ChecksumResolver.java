package io.kk.catalog;

import io.kk.download.Downloader;
import io.kk.error.KkException;
import io.kk.event.EventSink;
import io.kk.event.Note;
import java.net.URI;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Finds the sha256 kk trusts for a component file, in DESIGN.md's order:
 *
 * <ol>
 *   <li>kk's catalog, when it lists the file;
 *   <li>else the release's own checksum file, fetched from upstream (through the mirror, if any);
 *   <li>else the Manifest's {@code spec.checksums}, keyed by file name ({@code "sha256:<hex>"});
 *   <li>else an error naming the file and these three ways. A file is never left unchecked.
 * </ol>
 *
 * <p>spec.checksums may name a file by its artifact path ({@code kube/v1.30.0/amd64/kubeadm}, which
 * is unambiguous), its file name, or the name of its upstream download.
 */
public final class ChecksumResolver {
    private static final Pattern PREFIXED = Pattern.compile("sha256:([0-9a-fA-F]{64})");

    private final Downloader downloader;
    private final EventSink events;

    public ChecksumResolver(Downloader downloader, EventSink events) {
        this.downloader = downloader;
        this.events = events;
    }

    /**
     * @param file the file to check
     * @param manifestChecksums spec.checksums of the Manifest (file name to {@code sha256:<hex>}),
     *     empty when there is none
     */
    public Checksum resolve(ComponentFile file, Map<String, String> manifestChecksums) {
        if (file.catalogSha256().isPresent()) {
            return new Checksum(file.catalogSha256().get(), Checksum.Source.CATALOG, Checksum.Subject.FILE, "catalog");
        }
        String releaseFileProblem;
        if (file.checksumUrl().isPresent()) {
            URI url = file.checksumUrl().get();
            try {
                Optional<String> content = downloader.fetchSmall(url);
                if (content.isPresent()) {
                    Optional<String> hex = ChecksumFiles.find(content.get(), file.downloadFileName());
                    if (hex.isPresent()) {
                        Checksum.Subject subject =
                                file.archiveMember().isPresent() ? Checksum.Subject.DOWNLOAD : Checksum.Subject.FILE;
                        return new Checksum(hex.get(), Checksum.Source.RELEASE_CHECKSUM_FILE, subject, url.toString());
                    }
                    releaseFileProblem = url + " does not list " + file.downloadFileName();
                } else {
                    releaseFileProblem = url + " was not found (HTTP 404)";
                }
            } catch (KkException e) {
                releaseFileProblem = url + " could not be fetched (" + io.kk.error.Causes.describe(e) + ")";
                events.emit(Note.warn("no checksum file for " + file.describe() + ": " + releaseFileProblem));
            }
        } else {
            releaseFileProblem = "the " + file.component() + " project publishes no checksum file kk knows of";
        }
        Optional<Checksum> fromManifest = fromManifest(file, manifestChecksums);
        if (fromManifest.isPresent()) {
            return fromManifest.get();
        }
        // A version never released has no checksum file either: say that, not "add a checksum".
        if (downloader.exists(file.url()).equals(Optional.of(false))) {
            throw notPublished(file);
        }
        throw KkException.invalidInput(
                "no sha256 for " + file.fileName() + " (" + file.describe() + "): kk's catalog does not list it, "
                        + releaseFileProblem + ", and spec.checksums has no entry for it",
                "use a version the catalog lists (kk version --show-supported-k8s for Kubernetes), or make the"
                        + " release's checksum file reachable (directly or through --download-mirror), or add"
                        + " to the Manifest: spec.checksums: {\"" + file.artifactPath() + "\": \"sha256:<hex>\"}");
    }

    /** The error for a component file the server answers 404 for. */
    public static KkException notPublished(ComponentFile file) {
        boolean mirrored = !file.url().equals(file.upstreamUrl());
        return KkException.invalidInput(
                file.component() + " " + file.version() + " (" + file.arch() + ") is not published: " + file.url()
                        + " answered HTTP 404; nothing was downloaded",
                "check the version of " + file.component() + " (a release that exists upstream)"
                        + (mirrored
                                ? ", or that the mirror holds it (the mirror maps " + file.upstreamUrl() + ")"
                                : ""));
    }

    private static Optional<Checksum> fromManifest(ComponentFile file, Map<String, String> checksums) {
        // The download's own name names the tarball for helm; everything else names the file itself.
        String[][] keys = {
            {file.artifactPath(), "FILE"}, {file.fileName(), "FILE"}, {file.downloadFileName(), "DOWNLOAD"}
        };
        for (String[] key : keys) {
            String value = checksums.get(key[0]);
            if (value == null) {
                continue;
            }
            var m = PREFIXED.matcher(value.strip());
            if (!m.matches()) {
                throw KkException.invalidInput(
                        "spec.checksums[\"" + key[0] + "\"]: '" + value + "' is not sha256:<64 hex digits>",
                        "write the value as sha256:<hex>, e.g. the output of sha256sum with sha256: before it");
            }
            boolean download = key[1].equals("DOWNLOAD") && file.archiveMember().isPresent();
            return Optional.of(new Checksum(
                    m.group(1).toLowerCase(Locale.ROOT),
                    Checksum.Source.MANIFEST,
                    download ? Checksum.Subject.DOWNLOAD : Checksum.Subject.FILE,
                    "spec.checksums[\"" + key[0] + "\"]"));
        }
        return Optional.empty();
    }
}
