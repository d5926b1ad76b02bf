package io.kk.error;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;

/**
 * The one place that turns a failed read or write of a local file into a {@link KkException} an
 * operator can act on: the kind (bad input vs. an unfit machine), the file as the user named it (not
 * a temp file beside it), the reason in words, and what to do. The JDK reports most of these as
 * {@link FileSystemException}s whose reason is the OS's text ("Read-only file system", "No space left
 * on device", "Is a directory"), so the reason is matched here once instead of at every call site.
 */
public final class FileErrors {
    private FileErrors() {}

    /** What went wrong with a local file, as far as an operator is concerned. */
    public enum Reason {
        NOT_FOUND,
        IS_DIRECTORY,
        /** A part of the path that should be a directory is a file. */
        NOT_A_DIRECTORY,
        PERMISSION_DENIED,
        READ_ONLY,
        NO_SPACE,
        OTHER
    }

    /** Classifies {@code e} (or the first I/O exception in its cause chain). */
    public static Reason reason(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause() == c ? null : c.getCause()) {
            Reason r = own(c);
            if (r != Reason.OTHER) {
                return r;
            }
        }
        return Reason.OTHER;
    }

    private static Reason own(Throwable c) {
        if (c instanceof NoSuchFileException || c instanceof java.io.FileNotFoundException) {
            String m = String.valueOf(c.getMessage());
            if (m.contains("Is a directory")) {
                return Reason.IS_DIRECTORY;
            }
            if (m.contains("Permission denied")) {
                return Reason.PERMISSION_DENIED;
            }
            return Reason.NOT_FOUND;
        }
        if (c instanceof AccessDeniedException) {
            return String.valueOf(((FileSystemException) c).getReason()).contains("Read-only")
                    ? Reason.READ_ONLY
                    : Reason.PERMISSION_DENIED;
        }
        if (c instanceof NotDirectoryException) {
            return Reason.NOT_A_DIRECTORY;
        }
        String text = c instanceof FileSystemException fs && fs.getReason() != null ? fs.getReason() : c.getMessage();
        if (!(c instanceof IOException) || text == null) {
            return Reason.OTHER;
        }
        if (text.contains("No space left on device") || text.contains("Disk quota exceeded")) {
            return Reason.NO_SPACE;
        }
        if (text.contains("Read-only file system")) {
            return Reason.READ_ONLY;
        }
        if (text.contains("Is a directory")) {
            return Reason.IS_DIRECTORY;
        }
        if (text.contains("Not a directory")) {
            return Reason.NOT_A_DIRECTORY;
        }
        if (text.contains("Permission denied") || text.contains("Operation not permitted")) {
            return Reason.PERMISSION_DENIED;
        }
        return Reason.OTHER;
    }

    /**
     * Reading {@code file}, given by the user with {@code flag} (e.g. "-f"), failed.
     *
     * @param what what the file should be, e.g. "the Cluster config"
     */
    public static KkException reading(Path file, String flag, String what, IOException e) {
        Reason r = reason(e);
        if (r == Reason.OTHER && Files.isDirectory(file)) {
            r = Reason.IS_DIRECTORY;
        }
        return switch (r) {
            case NOT_FOUND -> KkException.invalidInput(
                    "file not found: " + file, "check the path given with " + flag + " (" + what + ")");
            case IS_DIRECTORY -> KkException.invalidInput(
                    file + " is a directory, not a file", "give " + what + " itself with " + flag);
            case NOT_A_DIRECTORY -> KkException.invalidInput(
                    "file not found: " + file + " (a part of the path is a file, not a directory)",
                    "check the path given with " + flag);
            case PERMISSION_DENIED -> new KkException(
                    ErrorKind.ENVIRONMENT,
                    "permission denied reading " + file,
                    "make it readable by the user running kk (ls -l " + file + "), or run kk as that file's owner",
                    e);
            default -> new KkException(
                    ErrorKind.ENVIRONMENT,
                    "cannot read " + file + ": " + Causes.describe(e),
                    "check that " + file + " is " + what + " and readable (ls -l " + file + ")",
                    e);
        };
    }

    /**
     * Writing {@code file}, named by the user with {@code flag} (or kk's default), failed. Nothing of
     * it is left: callers write through {@code AtomicFiles}, which removes its temp file.
     */
    public static KkException writing(Path file, String flag, IOException e) {
        Path dir = file.toAbsolutePath().getParent();
        Reason r = reason(e);
        if (r == Reason.OTHER && e instanceof FileAlreadyExistsException && dir != null && !Files.isDirectory(dir)) {
            r = Reason.NOT_A_DIRECTORY; // createDirectories on a path through a file
        }
        if (r == Reason.OTHER && Files.isDirectory(file)) {
            r = Reason.IS_DIRECTORY;
        }
        String elsewhere = flag == null ? "" : ", or give another path with " + flag;
        return switch (r) {
            case NOT_FOUND -> KkException.invalidInput(
                    "cannot write " + file + ": directory " + dir + " does not exist",
                    "create it first (mkdir -p " + dir + ")" + elsewhere);
            case IS_DIRECTORY -> KkException.invalidInput(
                    "cannot write " + file + ": it is a directory", "give a file name" + elsewhere);
            case NOT_A_DIRECTORY -> KkException.invalidInput(
                    "cannot write " + file + ": " + firstFileOnPath(dir) + " is a file, not a directory",
                    "give a path whose directories exist" + elsewhere);
            case PERMISSION_DENIED -> new KkException(
                    ErrorKind.ENVIRONMENT,
                    "cannot write " + file + ": permission denied in " + dir,
                    "let the user running kk write to " + dir + elsewhere,
                    e);
            case READ_ONLY -> new KkException(
                    ErrorKind.ENVIRONMENT,
                    "cannot write " + file + ": " + dir + " is on a read-only file system",
                    "write to a writable file system" + elsewhere,
                    e);
            case NO_SPACE -> new KkException(
                    ErrorKind.ENVIRONMENT,
                    "cannot write " + file + ": no space left on the device holding " + dir,
                    "free space there (df -h " + dir + ")" + elsewhere + "; nothing half-written was kept",
                    e);
            default -> new KkException(
                    ErrorKind.ENVIRONMENT,
                    "cannot write " + file + ": " + Causes.describe(e),
                    "check " + dir + " (permissions, free space)" + elsewhere,
                    e);
        };
    }

    /**
     * An I/O failure nobody mapped on its way up (the CLI's last resort): still an unfit environment
     * with words, not an "internal error" with a Java class name.
     */
    public static KkException unexpected(IOException e) {
        String where = e instanceof FileSystemException fs && fs.getFile() != null ? fs.getFile() : null;
        String how =
                switch (reason(e)) {
                    case NO_SPACE -> "no space left on device";
                    case READ_ONLY -> "read-only file system";
                    case PERMISSION_DENIED -> "permission denied";
                    case NOT_FOUND -> "no such file or directory";
                    case IS_DIRECTORY -> "is a directory";
                    case NOT_A_DIRECTORY -> "not a directory";
                    default -> Causes.describe(e);
                };
        return new KkException(
                ErrorKind.ENVIRONMENT,
                (where == null ? "I/O error: " : where + ": ") + how,
                switch (reason(e)) {
                    case NO_SPACE -> "free disk space (df -h) and run again";
                    case READ_ONLY, PERMISSION_DENIED -> "run kk where it may write, or fix the permissions";
                    default -> "check the file named above; rerun with --debug to see where it happened";
                },
                e);
    }

    /** The same, for the unchecked wrapper. */
    public static KkException unexpected(UncheckedIOException e) {
        return unexpected(e.getCause());
    }

    private static Path firstFileOnPath(Path dir) {
        if (dir == null) {
            return null;
        }
        Path p = dir.getRoot();
        for (Path part : dir) {
            p = p == null ? part : p.resolve(part);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        return dir;
    }
}
