package io.kk.artifact;

import java.nio.charset.StandardCharsets;

/**
 * Writes ustar headers with every field fixed (uid/gid 0, empty owner names, the given mtime, no
 * PAX records), so that the same plan always gives the same bytes. Sizes beyond ustar's 8 GiB use
 * GNU's base-256 encoding, which GNU tar, bsdtar and commons-compress read.
 */
final class TarHeaders {
    static final int BLOCK = 512;

    private TarHeaders() {}

    /** The 512-byte header of a regular file. */
    static byte[] regularFile(String path, long size, int mode, long mtimeSeconds) {
        byte[] h = new byte[BLOCK];
        byte[] full = path.getBytes(StandardCharsets.UTF_8);
        if (full.length <= 100) {
            System.arraycopy(full, 0, h, 0, full.length);
        } else {
            int split = splitPoint(path);
            byte[] prefix = path.substring(0, split).getBytes(StandardCharsets.UTF_8);
            byte[] name = path.substring(split + 1).getBytes(StandardCharsets.UTF_8);
            System.arraycopy(name, 0, h, 0, name.length);
            System.arraycopy(prefix, 0, h, 345, prefix.length);
        }
        octal(h, 100, 8, mode);
        octal(h, 108, 8, 0);
        octal(h, 116, 8, 0);
        if (size < 077777777777L) {
            octal(h, 124, 12, size);
        } else {
            h[124] = (byte) 0x80;
            for (int i = 0; i < 8; i++) {
                h[135 - i] = (byte) (size >>> (8 * i));
            }
        }
        octal(h, 136, 12, mtimeSeconds);
        h[156] = '0';
        byte[] magic = "ustar\00000".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(magic, 0, h, 257, magic.length);
        for (int i = 148; i < 156; i++) {
            h[i] = ' ';
        }
        long sum = 0;
        for (byte b : h) {
            sum += b & 0xff;
        }
        octal(h, 148, 7, sum);
        h[155] = ' ';
        return h;
    }

    /** Zero bytes that pad a file's content to a whole block. */
    static int padding(long size) {
        int rest = (int) (size % BLOCK);
        return rest == 0 ? 0 : BLOCK - rest;
    }

    /** The tar end marker: two zero blocks. */
    static byte[] trailer() {
        return new byte[2 * BLOCK];
    }

    /** Whether a path fits a ustar header (name, or prefix + name split at a slash). */
    static boolean fits(String path) {
        int len = path.getBytes(StandardCharsets.UTF_8).length;
        return len <= 100 || (len == path.length() && splitPoint(path) > 0);
    }

    private static int splitPoint(String path) {
        for (int i = Math.min(path.length() - 2, 155); i > 0; i--) {
            if (path.charAt(i) == '/' && path.length() - i - 1 <= 100) {
                return i;
            }
        }
        return -1;
    }

    /** Octal digits, zero-padded, ending with NUL, in {@code len} bytes at {@code off}. */
    private static void octal(byte[] h, int off, int len, long value) {
        String s = Long.toOctalString(value);
        int digits = len - 1;
        if (s.length() > digits) {
            throw new IllegalArgumentException("value too large for tar field: " + value);
        }
        for (int i = 0; i < digits - s.length(); i++) {
            h[off + i] = '0';
        }
        for (int i = 0; i < s.length(); i++) {
            h[off + digits - s.length() + i] = (byte) s.charAt(i);
        }
        h[off + digits] = 0;
    }
}
