package io.kk.artifact;

import java.nio.file.Path;
import java.util.List;

/**
 * What an export would do, computed without fetching or writing anything.
 *
 * @param output the artifact file
 * @param compression how it would be compressed
 * @param pieces every data file with its state
 * @param dataBytes bytes of all data files
 * @param writtenEntries tar entries an interrupted export already wrote (from the journal)
 * @param writtenBytes the artifact bytes those entries take
 * @param toFetchBytes bytes still to download
 * @param diskNeededBytes an upper bound of the disk the export still needs (rest of the artifact
 *     before compression, plus the staging look-ahead)
 * @param diskFreeBytes usable space where the artifact goes
 */
public record ExportDryRun(
        Path output,
        Compression compression,
        List<PlannedPiece> pieces,
        long dataBytes,
        int writtenEntries,
        long writtenBytes,
        long toFetchBytes,
        long diskNeededBytes,
        long diskFreeBytes) {

    /** What happens to a piece. */
    public enum PieceState {
        /** Already in the artifact (journal). */
        WRITTEN,
        /** Downloaded and verified in the staging dir by an interrupted run. */
        STAGED,
        /** Partly downloaded; the rest is fetched with a Range request. */
        PARTIAL,
        /** A local file, read in place. */
        LOCAL,
        /** To be fetched. */
        FETCH
    }

    /**
     * @param path its path in the artifact
     * @param size its size
     * @param state what happens to it
     * @param haveBytes bytes of it already on disk
     * @param source where it comes from
     */
    public record PlannedPiece(String path, long size, PieceState state, long haveBytes, String source) {}

    public ExportDryRun {
        pieces = List.copyOf(pieces);
    }
}
