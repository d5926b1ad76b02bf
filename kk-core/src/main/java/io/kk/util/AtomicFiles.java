package io.kk.util;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Local files written so that a crash (kill -9, power loss) never leaves a half-written file at
 * the final path: the bytes go to {@code .<name>.kktmp} beside it, are fsynced, renamed over the
 * target, and the directory is fsynced. A reader sees the old file or the new one, never a mix.
 * A temp file a crash left behind is overwritten by the next write of the same target.
 */
public final class AtomicFiles {
    /** Owner read/write only: keys, tokens, kubeconfigs. */
    public static final Set<PosixFilePermission> PRIVATE = PosixFilePermissions.fromString("rw-------");

    /** Temp files being written now: what an interrupted run removes on its way out. */
    private static final Set<Path> IN_FLIGHT = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private AtomicFiles() {}

    /**
     * Removes the temp files of writes still in progress. For the process's exit on Ctrl-C, when
     * the writing threads' own clean-up never runs: the targets keep their old content (or stay
     * absent), and no {@code .kktmp} is left beside them.
     */
    public static void abandonInFlight() {
        for (Path tmp : IN_FLIGHT) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException e) {
                // best effort on the way out; the next write of the same target overwrites it
            }
        }
    }

    /** Writes {@code text} (UTF-8) to {@code target}, with the default permissions. */
    public static Path writeString(Path target, String text) throws IOException {
        return write(target, text.getBytes(StandardCharsets.UTF_8), null);
    }

    /** Writes {@code text} (UTF-8) to {@code target}, readable by its owner only from the first byte. */
    public static Path writePrivate(Path target, String text) throws IOException {
        return write(target, text.getBytes(StandardCharsets.UTF_8), PRIVATE);
    }

    /**
     * Writes {@code bytes} to {@code target}.
     *
     * @param permissions the file's permissions, set when the temp file is created (so a secret is
     *     never readable by others, not even for a moment); null for the default
     */
    public static Path write(Path target, byte[] bytes, Set<PosixFilePermission> permissions) throws IOException {
        Path abs = target.toAbsolutePath();
        Path tmp = tempFor(abs);
        Files.deleteIfExists(tmp);
        boolean moved = false;
        IN_FLIGHT.add(tmp);
        try {
            if (permissions != null) {
                try {
                    Files.createFile(tmp, PosixFilePermissions.asFileAttribute(permissions));
                } catch (UnsupportedOperationException e) {
                    Files.createFile(tmp); // not a POSIX file system
                }
            }
            try (FileChannel ch = FileChannel.open(
                    tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buf = ByteBuffer.wrap(bytes);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            PausePoints.reached("write:" + abs.getFileName()); // tests kill kk here
            move(tmp, abs);
            moved = true;
        } finally {
            IN_FLIGHT.remove(tmp);
            if (!moved) {
                Files.deleteIfExists(tmp);
            }
        }
        return target;
    }

    /**
     * Renames {@code from} over {@code to} (same directory or file system) atomically where the file
     * system can, then fsyncs {@code to}'s directory so the rename survives a power loss.
     */
    public static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
        syncDirectory(to.toAbsolutePath().getParent());
    }

    /** The temp file {@link #write} uses for {@code target}. */
    public static Path tempFor(Path target) {
        return target.resolveSibling("." + target.getFileName() + ".kktmp");
    }

    /** Fsyncs a directory's entries (best effort: not every file system lets a directory be opened). */
    public static void syncDirectory(Path dir) {
        if (dir == null) {
            return;
        }
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // the rename itself is done; only its durability across a power loss is not promised here
        }
    }
}
