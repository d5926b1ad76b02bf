package io.kk.image;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The little JSON the image engine reads and writes (manifests, indexes, index.json, registry
 * answers), without Jackson: building Jackson's ObjectMapper and running its code cold was ~0.15
 * CPU-s of every image export and push, on the main thread before the first request (profiled).
 *
 * <p>A value is a {@link Map} (keys in document order; a repeated key keeps its first place and
 * last value, as Jackson's tree does), a {@link List}, a {@link String}, a {@link Num} (its text as
 * written, so a rewritten index keeps every number byte for byte), a {@link Boolean} or {@link
 * #NULL}. {@link #write} writes compactly, escaping as Jackson does (so a rewritten index has the
 * bytes, and digest, it had when Jackson wrote it).
 */
public final class Json {
    /** JSON's null. */
    public static final Object NULL = new Object() {
        @Override
        public String toString() {
            return "null";
        }
    };

    /** Deeper nesting than this is refused (no manifest nests more than a few levels). */
    private static final int MAX_DEPTH = 256;

    private Json() {}

    /** A JSON number, kept as written. */
    public record Num(String text) {
        public long longValue() {
            try {
                return Long.parseLong(text);
            } catch (NumberFormatException e) {
                return (long) Double.parseDouble(text);
            }
        }

        @Override
        public String toString() {
            return text;
        }
    }

    /** Not JSON: says what and at which byte. */
    public static final class SyntaxException extends IOException {
        SyntaxException(String message) {
            super(message);
        }
    }

    /** Parses one JSON value (UTF-8); whitespace and anything after the value are ignored, as Jackson's readTree does. */
    public static Object parse(byte[] bytes) throws SyntaxException {
        Parser p = new Parser(bytes);
        p.skipSpace();
        if (p.pos >= bytes.length) {
            throw new SyntaxException("no JSON value (empty input) at byte " + p.pos);
        }
        return p.value(0);
    }

    // ---- reading a tree (missing members read as absent, like Jackson's path()) ----

    /** The member {@code key} of an object, or null if {@code node} is no object or has no such member. */
    public static Object get(Object node, String key) {
        return node instanceof Map<?, ?> m ? m.get(key) : null;
    }

    /** The members of an object (empty if {@code node} is no object). */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> members(Object node) {
        return node instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    /** The elements of an array (empty if {@code node} is no array). */
    @SuppressWarnings("unchecked")
    public static List<Object> elements(Object node) {
        return node instanceof List<?> l ? (List<Object>) l : List.of();
    }

    /** A scalar's text (a number's as written), {@code fallback} for null or missing, "" for an object or array. */
    public static String text(Object node, String fallback) {
        if (node == null || node == NULL) {
            return fallback;
        }
        if (node instanceof String s) {
            return s;
        }
        if (node instanceof Num || node instanceof Boolean) {
            return node.toString();
        }
        return "";
    }

    /** A number's value (or a string's, if it holds one), {@code fallback} otherwise. */
    public static long longValue(Object node, long fallback) {
        try {
            if (node instanceof Num n) {
                return n.longValue();
            }
            if (node instanceof String s) {
                return Long.parseLong(s.trim());
            }
        } catch (NumberFormatException e) {
            return fallback;
        }
        return fallback;
    }

    /** A new, empty, ordered object to fill and {@link #write}. */
    public static Map<String, Object> object() {
        return new LinkedHashMap<>();
    }

    // ---- writing ----

    /** Compact JSON (no spaces), UTF-8. */
    public static byte[] write(Object value) {
        StringBuilder sb = new StringBuilder(256);
        write(sb, value, 0);
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void write(StringBuilder sb, Object v, int depth) {
        if (depth > MAX_DEPTH) {
            throw new IllegalArgumentException("JSON nested deeper than " + MAX_DEPTH);
        }
        if (v == null || v == NULL) {
            sb.append("null");
        } else if (v instanceof String s) {
            quote(sb, s);
        } else if (v instanceof Num || v instanceof Boolean) {
            sb.append(v);
        } else if (v instanceof Integer || v instanceof Long) {
            sb.append(v);
        } else if (v instanceof Map<?, ?> m) {
            sb.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (!first) {
                    sb.append(',');
                }
                first = false;
                quote(sb, String.valueOf(e.getKey()));
                sb.append(':');
                write(sb, e.getValue(), depth + 1);
            }
            sb.append('}');
        } else if (v instanceof List<?> l) {
            sb.append('[');
            for (int i = 0; i < l.size(); i++) {
                if (i > 0) {
                    sb.append(',');
                }
                write(sb, l.get(i), depth + 1);
            }
            sb.append(']');
        } else {
            throw new IllegalArgumentException(
                    "not a JSON value: " + v.getClass().getName());
        }
    }

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private static void quote(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                default -> {
                    if (c < 0x20) {
                        sb.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xf]);
                    } else if (Character.isSurrogate(c)) {
                        // as Jackson writes characters beyond the BMP: escaped, one surrogate at a time
                        sb.append("\\u")
                                .append(HEX[c >> 12])
                                .append(HEX[(c >> 8) & 0xf])
                                .append(HEX[(c >> 4) & 0xf])
                                .append(HEX[c & 0xf]);
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }

    // ---- parsing ----

    private static final class Parser {
        final byte[] b;
        int pos;

        Parser(byte[] b) {
            this.b = b;
        }

        Object value(int depth) throws SyntaxException {
            if (depth > MAX_DEPTH) {
                throw error("JSON nested deeper than " + MAX_DEPTH);
            }
            skipSpace();
            if (pos >= b.length) {
                throw error("the JSON ends early");
            }
            byte c = b[pos];
            switch (c) {
                case '{':
                    return object(depth);
                case '[':
                    return array(depth);
                case '"':
                    return string();
                case 't':
                    literal("true");
                    return Boolean.TRUE;
                case 'f':
                    literal("false");
                    return Boolean.FALSE;
                case 'n':
                    literal("null");
                    return NULL;
                default:
                    if (c == '-' || (c >= '0' && c <= '9')) {
                        return number();
                    }
                    throw error("unexpected " + describe(c));
            }
        }

        Map<String, Object> object(int depth) throws SyntaxException {
            pos++; // {
            Map<String, Object> m = new LinkedHashMap<>();
            skipSpace();
            if (peek() == '}') {
                pos++;
                return m;
            }
            while (true) {
                skipSpace();
                if (peek() != '"') {
                    throw error("expected a member name, found " + describe(peek()));
                }
                String key = string();
                skipSpace();
                expect(':');
                m.put(key, value(depth + 1));
                skipSpace();
                byte c = peek();
                pos++;
                if (c == '}') {
                    return m;
                }
                if (c != ',') {
                    pos--;
                    throw error("expected ',' or '}', found " + describe(c));
                }
            }
        }

        List<Object> array(int depth) throws SyntaxException {
            pos++; // [
            List<Object> l = new ArrayList<>();
            skipSpace();
            if (peek() == ']') {
                pos++;
                return l;
            }
            while (true) {
                l.add(value(depth + 1));
                skipSpace();
                byte c = peek();
                pos++;
                if (c == ']') {
                    return l;
                }
                if (c != ',') {
                    pos--;
                    throw error("expected ',' or ']', found " + describe(c));
                }
            }
        }

        String string() throws SyntaxException {
            pos++; // "
            int start = pos;
            // the common case: no escapes, so the bytes decode in one go
            while (pos < b.length && b[pos] != '"' && b[pos] != '\\' && (b[pos] & 0xff) >= 0x20) {
                pos++;
            }
            if (pos < b.length && b[pos] == '"') {
                return new String(b, start, pos++ - start, StandardCharsets.UTF_8);
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write(b, start, pos - start);
            while (true) {
                if (pos >= b.length) {
                    throw error("a string does not end");
                }
                int c = b[pos++] & 0xff;
                if (c == '"') {
                    return out.toString(StandardCharsets.UTF_8);
                }
                if (c < 0x20) {
                    pos--;
                    throw error("a control character inside a string");
                }
                if (c != '\\') {
                    out.write(c);
                    continue;
                }
                if (pos >= b.length) {
                    throw error("a string does not end");
                }
                int e = b[pos++];
                switch (e) {
                    case '"', '\\', '/' -> out.write(e);
                    case 'b' -> out.write('\b');
                    case 'f' -> out.write('\f');
                    case 'n' -> out.write('\n');
                    case 'r' -> out.write('\r');
                    case 't' -> out.write('\t');
                    case 'u' -> {
                        char ch = hex4();
                        StringBuilder sb = new StringBuilder(2).append(ch);
                        if (Character.isHighSurrogate(ch)
                                && pos + 1 < b.length
                                && b[pos] == '\\'
                                && b[pos + 1] == 'u') {
                            pos += 2;
                            sb.append(hex4());
                        }
                        byte[] u = sb.toString().getBytes(StandardCharsets.UTF_8);
                        out.write(u, 0, u.length);
                    }
                    default -> {
                        pos--;
                        throw error("an unknown escape \\" + (char) e);
                    }
                }
            }
        }

        char hex4() throws SyntaxException {
            if (pos + 4 > b.length) {
                throw error("a \\u escape is cut short");
            }
            int v = 0;
            for (int i = 0; i < 4; i++) {
                int d = Character.digit(b[pos++], 16);
                if (d < 0) {
                    pos--;
                    throw error("a \\u escape with a non-hex digit");
                }
                v = v * 16 + d;
            }
            return (char) v;
        }

        Num number() throws SyntaxException {
            int start = pos;
            if (b[pos] == '-') {
                pos++;
            }
            if (pos < b.length && b[pos] == '0') {
                pos++;
                if (pos < b.length && b[pos] >= '0' && b[pos] <= '9') {
                    throw error("a number with a leading zero");
                }
            } else if (!digits()) {
                throw error("a number without digits");
            }
            if (pos < b.length && b[pos] == '.') {
                pos++;
                if (!digits()) {
                    throw error("a number without digits after '.'");
                }
            }
            if (pos < b.length && (b[pos] == 'e' || b[pos] == 'E')) {
                pos++;
                if (pos < b.length && (b[pos] == '+' || b[pos] == '-')) {
                    pos++;
                }
                if (!digits()) {
                    throw error("a number without digits in its exponent");
                }
            }
            return new Num(new String(b, start, pos - start, StandardCharsets.US_ASCII));
        }

        boolean digits() {
            int start = pos;
            while (pos < b.length && b[pos] >= '0' && b[pos] <= '9') {
                pos++;
            }
            return pos > start;
        }

        void literal(String word) throws SyntaxException {
            for (int i = 0; i < word.length(); i++) {
                if (pos + i >= b.length || b[pos + i] != word.charAt(i)) {
                    throw error("unexpected " + describe(b[pos]));
                }
            }
            pos += word.length();
        }

        void expect(char c) throws SyntaxException {
            if (peek() != c) {
                throw error("expected '" + c + "', found " + describe(peek()));
            }
            pos++;
        }

        byte peek() throws SyntaxException {
            if (pos >= b.length) {
                throw error("the JSON ends early");
            }
            return b[pos];
        }

        void skipSpace() {
            while (pos < b.length && (b[pos] == ' ' || b[pos] == '\n' || b[pos] == '\r' || b[pos] == '\t')) {
                pos++;
            }
        }

        SyntaxException error(String what) {
            return new SyntaxException(what + " at byte " + pos);
        }

        static String describe(byte c) {
            return c >= 0x21 && c < 0x7f ? "'" + (char) c + "'" : String.format("byte 0x%02x", c & 0xff);
        }
    }
}
