package io.kk.artifact;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * The journal beside an artifact being exported ({@code <out>.kkjournal}): one line per tar entry
 * completely appended and fsynced, with the output's length after it. After a crash the output is
 * cut back to the last journaled length and the export continues with the next entry.
 *
 * <pre>
 * kk-export-journal 2 &lt;plan fingerprint&gt;
 * done 0 1536 3a1f09c2 kk/index.json
 * done 1 2048 9be0c711 kk/SHA256SUMS
 * ...
 * </pre>
 *
 * A line is only trusted when it ends with a newline (a crash may leave half a line), its CRC-32
 * (of the line without it) matches (a torn or damaged line is not read as another number), and the
 * entries follow the plan's order; the journal counts up to the first line that fails. A journal
 * of another plan (different fingerprint) is ignored.
 */
final class ExportJournal implements Closeable {
    private static final String MAGIC = "kk-export-journal 2 ";

    /** The state a journal records: how many entries are done and the output length after them. */
    record State(int entriesDone, long outputLength) {
        static final State EMPTY = new State(0, 0);
    }

    private final FileChannel channel;
    private final FileLock lock;
    private final List<Line> lines;
    private final long headerBytes;
    private State state;

    private ExportJournal(FileChannel channel, FileLock lock, Parsed parsed, long headerBytes) {
        this.channel = channel;
        this.lock = lock;
        this.lines = new java.util.ArrayList<>(parsed.lines);
        this.headerBytes = headerBytes;
        this.state = parsed.state;
    }

    static Path pathFor(Path output) {
        return output.resolveSibling(output.getFileName() + ".kkjournal");
    }

    /** Reads what a journal records for this plan without opening it for writing (dry-run). */
    static State peek(Path journal, String fingerprint, List<String> entryPaths) throws IOException {
        if (!Files.exists(journal)) {
            return State.EMPTY;
        }
        return parse(Files.readAllBytes(journal), fingerprint, entryPaths).state;
    }

    /**
     * Opens (or starts) the journal for {@code fingerprint}, locked against a second export to the
     * same output. A journal of another plan is restarted.
     */
    static ExportJournal open(Path journal, String fingerprint, List<String> entryPaths) throws IOException {
        FileChannel ch =
                FileChannel.open(journal, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = ch.tryLock();
        } catch (java.nio.channels.OverlappingFileLockException e) {
            lock = null;
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
        if (lock == null) {
            ch.close();
            throw new IOException("another kk export is writing " + journal);
        }
        byte[] existing = new byte[(int) Math.min(ch.size(), Integer.MAX_VALUE)];
        ch.read(ByteBuffer.wrap(existing), 0);
        Parsed parsed = parse(existing, fingerprint, entryPaths);
        if (parsed.validBytes == 0) {
            ch.truncate(0);
            byte[] head = (MAGIC + fingerprint + "\n").getBytes(StandardCharsets.UTF_8);
            ch.write(ByteBuffer.wrap(head), 0);
            ch.force(true);
        } else {
            ch.truncate(parsed.validBytes);
        }
        ch.position(ch.size());
        long headerBytes = (MAGIC + fingerprint + "\n").getBytes(StandardCharsets.UTF_8).length;
        return new ExportJournal(ch, lock, parsed, headerBytes);
    }

    State state() {
        return state;
    }

    /**
     * Forgets the entries whose end lies beyond {@code outputLength} (the output lost bytes the
     * journal vouched for, e.g. it was cut short): the export goes on from the last entry the
     * output still holds whole.
     */
    State rewindTo(long outputLength) throws IOException {
        int keep = lines.size();
        while (keep > 0 && lines.get(keep - 1).state.outputLength() > outputLength) {
            keep--;
        }
        long bytes = keep == 0 ? headerBytes : lines.get(keep - 1).endsAt;
        lines.subList(keep, lines.size()).clear();
        channel.truncate(bytes);
        channel.position(bytes);
        channel.force(false);
        state = keep == 0 ? State.EMPTY : lines.get(keep - 1).state;
        return state;
    }

    /** Records that entry {@code entry} is appended and synced, leaving the output {@code length} long. */
    void recordDone(int entry, String path, long length) throws IOException {
        if (entry != state.entriesDone()) {
            throw new IllegalStateException("journal out of order: " + entry + " after " + state.entriesDone());
        }
        byte[] line = line(entry, length, path).getBytes(StandardCharsets.UTF_8);
        ByteBuffer buf = ByteBuffer.wrap(line);
        while (buf.hasRemaining()) {
            channel.write(buf);
        }
        channel.force(false);
        state = new State(entry + 1, length);
        lines.add(new Line(state, channel.position()));
    }

    @Override
    public void close() throws IOException {
        if (!channel.isOpen()) {
            return;
        }
        try {
            lock.release();
        } finally {
            channel.close();
        }
    }

    /** A journal line as written: {@code done <entry> <length> <crc32 of the rest> <path>}. */
    static String line(int entry, long length, String path) {
        return "done " + entry + " " + length + " " + crc("done " + entry + " " + length + " " + path) + " " + path
                + "\n";
    }

    private static String crc(String text) {
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(text.getBytes(StandardCharsets.UTF_8));
        return String.format("%08x", crc.getValue());
    }

    /** A trusted line: the state after it, and where it ends in the journal file. */
    private record Line(State state, long endsAt) {}

    private record Parsed(State state, long validBytes, List<Line> lines) {}

    private static Parsed parse(byte[] bytes, String fingerprint, List<String> entryPaths) {
        String text = new String(bytes, StandardCharsets.UTF_8);
        int firstEnd = text.indexOf('\n');
        if (firstEnd < 0 || !text.substring(0, firstEnd).equals(MAGIC + fingerprint)) {
            return new Parsed(State.EMPTY, 0, List.of());
        }
        List<Line> lines = new java.util.ArrayList<>();
        State state = State.EMPTY;
        long valid = text.substring(0, firstEnd + 1).getBytes(StandardCharsets.UTF_8).length;
        int pos = firstEnd + 1;
        while (true) {
            int end = text.indexOf('\n', pos);
            if (end < 0) {
                break;
            }
            String[] f = text.substring(pos, end).split(" ", 5);
            if (f.length != 5
                    || !f[0].equals("done")
                    || !f[3].equals(crc(f[0] + " " + f[1] + " " + f[2] + " " + f[4]))) {
                break;
            }
            int entry;
            long length;
            try {
                entry = Integer.parseInt(f[1]);
                length = Long.parseLong(f[2]);
            } catch (NumberFormatException e) {
                break;
            }
            if (entry != state.entriesDone()
                    || entry >= entryPaths.size()
                    || !entryPaths.get(entry).equals(f[4])
                    || length < state.outputLength()) {
                break;
            }
            state = new State(entry + 1, length);
            valid += text.substring(pos, end + 1).getBytes(StandardCharsets.UTF_8).length;
            pos = end + 1;
            lines.add(new Line(state, valid));
        }
        return new Parsed(state, valid, lines);
    }
}
