package io.kk.catalog;

import io.kk.download.Downloader;
import io.kk.download.FetchResult;
import io.kk.download.HttpDownloader;
import io.kk.error.KkException;
import io.kk.event.EventSink;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Puts a component file in place under an artifact (or work) directory at its KubeKey path,
 * verified against the checksum {@link ChecksumResolver} trusts. For helm, whose upstream release
 * is a tarball while KubeKey keeps the bare binary, the tarball is fetched beside the target, the
 * binary extracted and the tarball removed.
 */
public final class ComponentFetcher {
    private final Downloader downloader;
    private final ChecksumResolver checksums;

    public ComponentFetcher(Downloader downloader, ChecksumResolver checksums) {
        this.downloader = downloader;
        this.checksums = checksums;
    }

    /**
     * @param root the directory holding KubeKey's layout ({@code kube/v1.28.2/amd64/kubeadm}, ...)
     * @param manifestChecksums spec.checksums of the Manifest, empty when none
     */
    public FetchedComponent fetch(
            ComponentFile file, Path root, Map<String, String> manifestChecksums, EventSink events) {
        try {
            return fetchVerified(file, root, manifestChecksums, events);
        } catch (io.kk.download.NotFoundException e) {
            throw ChecksumResolver.notPublished(file);
        }
    }

    private FetchedComponent fetchVerified(
            ComponentFile file, Path root, Map<String, String> manifestChecksums, EventSink events) {
        Checksum checksum = checksums.resolve(file, manifestChecksums);
        Path target = root.resolve(file.artifactPath());
        if (file.archiveMember().isEmpty()) {
            FetchResult r = downloader.fetch(file.url(), target, checksum.sha256(), events);
            return new FetchedComponent(file, target, r.sha256(), checksum, r.outcome());
        }
        try {
            if (checksum.subject() == Checksum.Subject.FILE
                    && Files.isRegularFile(target)
                    && HttpDownloader.sha256(target).equals(checksum.sha256())) {
                return new FetchedComponent(file, target, checksum.sha256(), checksum, FetchResult.Outcome.SKIPPED);
            }
            Path tarball = target.resolveSibling(file.downloadFileName());
            // The tarball is checked here when its digest is the trusted one, else through the
            // extracted file below: it never stays on disk unchecked.
            String expectedDownload = checksum.subject() == Checksum.Subject.DOWNLOAD ? checksum.sha256() : null;
            FetchResult r = downloader.fetch(file.url(), tarball, expectedDownload, events);
            Path extracted = target.resolveSibling(file.fileName() + ".extract");
            try {
                extract(tarball, file.archiveMember().get(), extracted);
                String sha = HttpDownloader.sha256(extracted);
                if (checksum.subject() == Checksum.Subject.FILE && !sha.equals(checksum.sha256())) {
                    throw KkException.failed(
                            "sha256 mismatch for " + file.archiveMember().get() + " in " + file.url() + ": expected "
                                    + checksum.sha256() + " (" + checksum.origin() + "), got " + sha
                                    + "; nothing was kept",
                            "the server's file differs from the checksum kk trusts: check the mirror"
                                    + " or the checksum in spec.checksums, then run again");
                }
                Files.move(extracted, target, StandardCopyOption.REPLACE_EXISTING);
                makeExecutable(target);
                return new FetchedComponent(file, target, sha, checksum, r.outcome());
            } finally {
                Files.deleteIfExists(extracted);
                Files.deleteIfExists(tarball);
            }
        } catch (IOException e) {
            throw KkException.environment(
                    "cannot write " + target + ": " + io.kk.error.Causes.describe(e),
                    "check free space and permissions",
                    e);
        }
    }

    private static void extract(Path tarball, String member, Path into) throws IOException {
        try (InputStream in = Files.newInputStream(tarball);
                TarArchiveInputStream tar = new TarArchiveInputStream(new GZIPInputStream(in))) {
            io.kk.artifact.TarEntryCheck check =
                    new io.kk.artifact.TarEntryCheck(tarball.getFileName().toString());
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                check.check(entry);
                String name = entry.getName().startsWith("./") ? entry.getName().substring(2) : entry.getName();
                if (io.kk.artifact.TarEntryCheck.isRegularFile(entry) && name.equals(member)) {
                    Files.copy(tar, into, StandardCopyOption.REPLACE_EXISTING);
                    return;
                }
            }
        } catch (java.util.zip.ZipException e) {
            throw KkException.failed(
                    tarball.getFileName() + " is not a gzip tarball: " + io.kk.error.Causes.describe(e), "");
        }
        throw KkException.failed(
                tarball.getFileName() + " holds no " + member, "check the version, or the mirror's copy of the file");
    }

    private static void makeExecutable(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: nothing to set
        }
    }
}
