package io.kk.iso;

import io.kk.error.KkException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Reads an ISO 9660 image (with Rock Ridge or Joliet names, as OS repository ISOs are made) and
 * writes its files as a tar. kk mounts a repository ISO on the host when it can; where the kernel
 * has no iso9660 driver or no loop devices (containers, minimal kernels), the control machine
 * unpacks it instead and ships the tar.
 */
public final class Iso9660 {
    static final int SECTOR = 2048;

    private final FileChannel ch;
    private final Path file;

    private Iso9660(FileChannel ch, Path file) {
        this.ch = ch;
        this.file = file;
    }

    /** One file of the image: its path inside the image, where its bytes are, how many. */
    public record Entry(String path, long offset, long size, boolean directory) {}

    /** Every file and directory of the image, directories first within each level. */
    public static List<Entry> list(Path iso) {
        try (FileChannel ch = FileChannel.open(iso, StandardOpenOption.READ)) {
            return new Iso9660(ch, iso).entries();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes the image's files as a tar (paths relative to the image root, modes 0644/0755). */
    public static void toTar(Path iso, OutputStream out) {
        try (FileChannel ch = FileChannel.open(iso, StandardOpenOption.READ);
                TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            Iso9660 reader = new Iso9660(ch, iso);
            for (Entry e : reader.entries()) {
                TarArchiveEntry te = new TarArchiveEntry(e.directory() ? e.path() + "/" : e.path());
                te.setModTime(0);
                te.setMode(e.directory() ? 040755 : 0100644);
                if (!e.directory()) {
                    te.setSize(e.size());
                }
                tar.putArchiveEntry(te);
                if (!e.directory()) {
                    reader.copy(e, tar);
                }
                tar.closeArchiveEntry();
            }
            tar.finish();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every path seen by the walk: a name twice in one folder is refused. */
    private final java.util.Set<String> paths = new java.util.HashSet<>();

    private List<Entry> entries() throws IOException {
        Root primary = null;
        Root joliet = null;
        for (int sector = 16; sector < 64; sector++) {
            ByteBuffer vd = read((long) sector * SECTOR, SECTOR);
            int type = vd.get(0) & 0xff;
            String id = new String(bytes(vd, 1, 5), StandardCharsets.US_ASCII);
            if (!id.equals("CD001")) {
                throw KkException.invalidInput(
                        file + " is not an ISO 9660 image", "give the OS repository ISO the manifest names");
            }
            if (type == 255) {
                break;
            }
            if (type == 1) {
                primary = root(vd);
            } else if (type == 2 && vd.get(88) == '%' && vd.get(89) == '/') {
                joliet = root(vd);
            }
        }
        if (primary == null) {
            throw KkException.invalidInput(
                    file + " has no primary volume descriptor", "the ISO is damaged: export it again");
        }
        List<Entry> out = new ArrayList<>();
        if (hasRockRidge(primary)) {
            walk(primary.extent, primary.size, "", NameStyle.ROCK_RIDGE, out, new HashSet<>());
        } else if (joliet != null) {
            walk(joliet.extent, joliet.size, "", NameStyle.JOLIET, out, new HashSet<>());
        } else {
            walk(primary.extent, primary.size, "", NameStyle.PLAIN, out, new HashSet<>());
        }
        return out;
    }

    private record Root(long extent, long size) {}

    private enum NameStyle {
        ROCK_RIDGE,
        JOLIET,
        PLAIN
    }

    private static Root root(ByteBuffer vd) {
        // the root directory record sits at byte 156 of a volume descriptor
        return new Root(u32(vd, 156 + 2), u32(vd, 156 + 10));
    }

    /** Rock Ridge is announced by an "SP" (or "RR"/"NM"/"PX") entry in the root's "." record. */
    private boolean hasRockRidge(Root root) throws IOException {
        ByteBuffer dir = read(root.extent * SECTOR, SECTOR);
        int len = dir.get(0) & 0xff;
        int nameLen = dir.get(32) & 0xff;
        int su = 33 + nameLen + ((nameLen % 2 == 0) ? 1 : 0);
        for (int p = su; p + 4 <= len; ) {
            String sig = new String(bytes(dir, p, 2), StandardCharsets.US_ASCII);
            int l = dir.get(p + 2) & 0xff;
            if (sig.equals("SP") || sig.equals("RR") || sig.equals("PX") || sig.equals("NM")) {
                return true;
            }
            if (l == 0) {
                break;
            }
            p += l;
        }
        return false;
    }

    private void walk(long extent, long size, String prefix, NameStyle style, List<Entry> out, Set<Long> seen)
            throws IOException {
        if (!seen.add(extent)) {
            return;
        }
        List<long[]> subdirs = new ArrayList<>();
        List<String> subdirNames = new ArrayList<>();
        ByteBuffer dir = read(extent * SECTOR, (int) size);
        int pos = 0;
        while (pos < size) {
            int len = dir.get(pos) & 0xff;
            if (len == 0) {
                // records never cross a sector: the rest of this sector is padding
                pos = (pos / SECTOR + 1) * SECTOR;
                continue;
            }
            long recExtent = u32(dir, pos + 2);
            long recSize = u32(dir, pos + 10);
            int flags = dir.get(pos + 25) & 0xff;
            int nameLen = dir.get(pos + 32) & 0xff;
            byte first = dir.get(pos + 33);
            boolean self = nameLen == 1 && (first == 0 || first == 1);
            if (!self) {
                String name = name(dir, pos, len, nameLen, style);
                boolean isDir = (flags & 0x02) != 0;
                if (name.isEmpty()
                        || name.contains("/")
                        || name.contains("\\")
                        || name.indexOf('\0') >= 0
                        || name.equals("..")
                        || name.equals(".")) {
                    throw KkException.invalidInput(
                            file + ": refusing entry " + printable(prefix + name) + ": an unsafe name",
                            "the ISO is damaged or hostile");
                }
                String path = prefix + name;
                if (!paths.add(path)) {
                    throw KkException.invalidInput(
                            file + ": refusing entry " + printable(path) + ": a second entry of this name",
                            "the ISO is damaged or hostile");
                }
                if (isDir) {
                    out.add(new Entry(path, 0, 0, true));
                    subdirs.add(new long[] {recExtent, recSize});
                    subdirNames.add(path + "/");
                } else {
                    out.add(new Entry(path, recExtent * SECTOR, recSize, false));
                }
            }
            pos += len;
        }
        for (int i = 0; i < subdirs.size(); i++) {
            walk(subdirs.get(i)[0], subdirs.get(i)[1], subdirNames.get(i), style, out, seen);
        }
    }

    /** A name as it can be shown: control characters escaped. */
    private static String printable(String name) {
        StringBuilder b = new StringBuilder();
        for (char c : name.toCharArray()) {
            b.append(c < 0x20 || c == 0x7f ? String.format("\\x%02x", (int) c) : String.valueOf(c));
        }
        return b.toString();
    }

    private static String name(ByteBuffer dir, int pos, int len, int nameLen, NameStyle style) {
        if (style == NameStyle.JOLIET) {
            return stripVersion(new String(bytes(dir, pos + 33, nameLen), StandardCharsets.UTF_16BE));
        }
        if (style == NameStyle.ROCK_RIDGE) {
            int su = pos + 33 + nameLen + ((nameLen % 2 == 0) ? 1 : 0);
            StringBuilder nm = new StringBuilder();
            for (int p = su; p + 4 <= pos + len; ) {
                String sig = new String(bytes(dir, p, 2), StandardCharsets.US_ASCII);
                int l = dir.get(p + 2) & 0xff;
                if (l < 4) {
                    break;
                }
                if (sig.equals("NM")) {
                    // flags byte at p+4, then the name piece (CONTINUE flag: more NM entries follow)
                    nm.append(new String(bytes(dir, p + 5, l - 5), StandardCharsets.UTF_8));
                }
                p += l;
            }
            if (nm.length() > 0) {
                return nm.toString();
            }
        }
        return stripVersion(new String(bytes(dir, pos + 33, nameLen), StandardCharsets.US_ASCII))
                .toLowerCase(java.util.Locale.ROOT);
    }

    private static String stripVersion(String n) {
        int semi = n.indexOf(';');
        String s = semi >= 0 ? n.substring(0, semi) : n;
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }

    private void copy(Entry e, OutputStream out) throws IOException {
        long pos = e.offset();
        long left = e.size();
        ByteBuffer buf = ByteBuffer.allocate(1 << 16);
        while (left > 0) {
            buf.clear();
            buf.limit((int) Math.min(buf.capacity(), left));
            int n = ch.read(buf, pos);
            if (n < 0) {
                throw KkException.invalidInput(
                        file + " ends inside " + e.path(), "the ISO is truncated: export it again");
            }
            out.write(buf.array(), 0, n);
            pos += n;
            left -= n;
        }
    }

    private ByteBuffer read(long offset, int length) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        while (b.hasRemaining()) {
            if (ch.read(b, offset + b.position()) < 0) {
                throw KkException.invalidInput(file + " is truncated", "the ISO is damaged: export it again");
            }
        }
        b.flip();
        return b;
    }

    private static long u32(ByteBuffer b, int at) {
        return b.order(ByteOrder.LITTLE_ENDIAN).getInt(at) & 0xffffffffL;
    }

    private static byte[] bytes(ByteBuffer b, int at, int n) {
        byte[] out = new byte[n];
        for (int i = 0; i < n; i++) {
            out[i] = b.get(at + i);
        }
        return out;
    }
}
