package io.kk.error;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one place secrets are taken out of what kk shows. Config loading remembers every secret
 * value it reads (host passwords, private keys, registry passwords); {@link #redact} replaces
 * those values (and their base64 forms, as in a Basic header or a docker {@code auth}) and
 * anything that looks like credentials (URL userinfo, {@code user:password@host}, Authorization
 * headers, token query parameters) with {@code <redacted>}. The CLI passes all it prints through
 * it, so a secret that reaches an exception message, an event or a stack trace is still not shown.
 */
public final class Secrets {
    public static final String MASK = "<redacted>";
    /** Shorter values would mask ordinary words; such passwords are still kept out by each call site. */
    private static final int MIN_LENGTH = 4;

    private static final Set<String> KNOWN = ConcurrentHashMap.newKeySet();
    private static volatile List<String> sorted = List.of();

    private static final Pattern URL_USERINFO =
            Pattern.compile("([a-zA-Z][a-zA-Z0-9+.-]*://)([^/\\s@:\"'<>]*):([^/\\s@\"'<>]*)@");
    /** {@code user:password@host} without a scheme; not an image digest ({@code name:tag@sha256:...}). */
    private static final Pattern BARE_USERINFO = Pattern.compile(
            "(^|[\\s\"'(\\[=,])([A-Za-z0-9._~%!$&*+;-]+):([^\\s@/\"'<>]+)@(?!sha256:|sha512:)(?=[A-Za-z0-9\\[])");

    private static final Pattern AUTH_HEADER =
            Pattern.compile("(?i)(authorization\\s*[:=]\\s*\"?(?:basic|bearer|token)\\s+)[A-Za-z0-9._~+/=-]+");
    private static final Pattern TOKEN_PARAM = Pattern.compile(
            "(?i)([?&](?:access_token|token|password|passwd|secret|client_secret|sig|signature)=)[^&\\s\"'<>]+");

    private Secrets() {}

    /** Remembers a secret so that {@link #redact} hides it; null and short values are ignored. */
    public static void remember(String secret) {
        if (secret == null) {
            return;
        }
        String s = secret.strip();
        List<String> add = new ArrayList<>();
        if (s.contains("\n")) {
            // a key: each line of its body, so that a part of it is hidden too
            for (String line : s.split("\\R")) {
                String l = line.strip();
                if (l.length() >= 16 && !l.startsWith("-----")) {
                    add.add(l);
                }
            }
        } else if (s.length() >= MIN_LENGTH) {
            add.add(s);
            add.add(Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8)));
        }
        if (add.isEmpty() || KNOWN.containsAll(add)) {
            return;
        }
        synchronized (KNOWN) {
            KNOWN.addAll(add);
            List<String> all = new ArrayList<>(KNOWN);
            all.sort(Comparator.comparingInt(String::length).reversed());
            sorted = List.copyOf(all);
        }
    }

    /** Remembers a registry login: the password, and {@code base64(user:password)} as Basic auth sends it. */
    public static void rememberLogin(String username, String password) {
        remember(password);
        if (password != null && password.length() >= MIN_LENGTH) {
            remember((username == null ? "" : username) + ":" + password);
        }
    }

    /** The text with every remembered secret and every credential-like part replaced by {@link #MASK}. */
    public static String redact(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String out = text;
        for (String s : sorted) {
            if (out.contains(s)) {
                out = out.replace(s, MASK);
            }
        }
        if (out.indexOf('@') >= 0) {
            out = URL_USERINFO
                    .matcher(out)
                    .replaceAll(m -> Matcher.quoteReplacement(m.group(1) + m.group(2) + ":" + MASK + "@"));
            out = BARE_USERINFO
                    .matcher(out)
                    .replaceAll(m -> Matcher.quoteReplacement(m.group(1) + m.group(2) + ":" + MASK + "@"));
        }
        out = AUTH_HEADER.matcher(out).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + MASK));
        out = TOKEN_PARAM.matcher(out).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + MASK));
        return out;
    }
}
