/**
 * The artifact file: one tar (zstd by default, gzip for KubeKey) that carries KubeKey v2/v3's
 * artifact layout plus kk's own index, written resumably and read back safely.
 *
 * <h2>Format</h2>
 *
 * <ul>
 *   <li>Tar entries, regular files only, paths relative to KubeKey's artifact dir, in this order:
 *       {@code kk/index.json} ({@link ArtifactIndex}: format version, kk version, creation time,
 *       the manifest, every data file with size and sha256, images by platform), {@code
 *       kk/SHA256SUMS} ({@code sha256sum -c} list of kk/index.json and every data file, run from the
 *       unpacked dir), then the plan's pieces ({@code kube/<v>/<arch>/kubeadm}, {@code
 *       images/blobs/sha256/<hex>}, {@code repository/<arch>/<id>/<v>/<iso>}, ...).
 *   <li>ustar headers with every field fixed: mtime = the index's creation time, uid/gid 0, empty
 *       owner names, mode 0644 or 0755, no PAX records; GNU base-256 sizes above 8 GiB.
 *   <li>Each entry (header + content + padding) is its own zstd frame (with checksum) or gzip
 *       member; the tar's end marker is a last frame. Concatenated frames/members are one valid
 *       stream for zstd, gzip, GNU tar, Go's gzip reader (KubeKey) and commons-compress.
 *   <li>Optional {@code <artifact>.sig} ({@link ArtifactSignature}): ed25519 over the 32 raw bytes
 *       of the artifact file's sha256.
 * </ul>
 *
 * <h2>Export</h2>
 *
 * {@link ArtifactWriter} needs every piece's size and sha256 before the first byte (the index comes
 * first, so inspect reads only the head). Pieces are fetched ahead in parallel ({@link
 * PieceSource}, resuming partial files) into {@code <out>.kkstaging/<sha256>[.part]} within a
 * look-ahead budget (default a tenth of the artifact, at least 64 MiB, the next piece always
 * allowed), verified, appended in plan order to {@code <out>.kkpart}, fsynced, journaled in {@code
 * <out>.kkjournal} (one CRC-checked line per entry), and their staged copy deleted. Peak disk is
 * therefore the artifact plus the budget, or plus the largest single piece when that is larger (a
 * piece is verified before it enters the artifact). After a crash (kill -9 included) the same
 * export cuts the part back to the last journaled entry it holds whole and continues; a staged copy
 * that does not hash right is fetched again; the result is byte-identical to an uninterrupted
 * export. The finished part is fsynced and renamed to {@code <out>}, so a file at {@code <out>} is
 * always a complete artifact; a rerun finding one verifies it and only cleans up.
 *
 * <h2>Reading</h2>
 *
 * {@link ArtifactReader} inspects (index only), verifies (every file against the index, every blob
 * against its name, offline, collecting all problems) and imports (temp file + rename after the
 * hash matches; entries escaping the target dir refused). KubeKey's own gzip artifacts, which
 * have no index, are read by path convention, with blob digests checked.
 */
package io.kk.artifact;
