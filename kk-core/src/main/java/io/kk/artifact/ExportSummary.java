package io.kk.artifact;

import io.kk.event.Event;
import java.nio.file.Path;

/**
 * The result of an export, also emitted as the last event.
 *
 * @param output the artifact file
 * @param compression how it is compressed
 * @param files data files in it (kk's index and checksum list not counted)
 * @param dataBytes their total size before compression
 * @param artifactBytes the size of the artifact file
 * @param fetchedBytes bytes fetched (or generated) into the staging dir by this run; 0 when
 *     everything was already done
 * @param resumedEntries tar entries a previous, interrupted run had already written
 * @param signature the detached signature file, or null when none was asked for
 */
public record ExportSummary(
        Path output,
        Compression compression,
        int files,
        long dataBytes,
        long artifactBytes,
        long fetchedBytes,
        int resumedEntries,
        Path signature)
        implements Event {}
