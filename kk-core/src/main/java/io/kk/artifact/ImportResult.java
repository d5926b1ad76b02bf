package io.kk.artifact;

import java.nio.file.Path;

/**
 * The outcome of {@code kk artifact import}.
 *
 * @param dir the work dir the artifact was unpacked into
 * @param kkIndex whether files were verified against kk's index (else only blob digests)
 * @param files files written
 * @param bytes their size
 */
public record ImportResult(Path dir, boolean kkIndex, int files, long bytes) {}
