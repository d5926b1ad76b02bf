package io.kk.cluster.os;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** What /etc/os-release says. */
public record OsRelease(String id, List<String> idLike, String versionId, String prettyName) {

    public enum Family {
        DEBIAN,
        RHEL,
        UNKNOWN
    }

    public static OsRelease parse(String text) {
        Map<String, String> kv = new HashMap<>();
        for (String line : text.split("\n")) {
            int eq = line.indexOf('=');
            if (eq <= 0 || line.startsWith("#")) {
                continue;
            }
            String v = line.substring(eq + 1).strip();
            if (v.length() >= 2 && (v.startsWith("\"") && v.endsWith("\"") || v.startsWith("'") && v.endsWith("'"))) {
                v = v.substring(1, v.length() - 1);
            }
            kv.put(line.substring(0, eq).strip(), v);
        }
        String like = kv.getOrDefault("ID_LIKE", "");
        return new OsRelease(
                kv.getOrDefault("ID", "").toLowerCase(Locale.ROOT),
                like.isBlank()
                        ? List.of()
                        : Arrays.asList(like.toLowerCase(Locale.ROOT).split("\\s+")),
                kv.getOrDefault("VERSION_ID", ""),
                kv.getOrDefault("PRETTY_NAME", kv.getOrDefault("ID", "")));
    }

    public Family family() {
        if (is("debian") || is("ubuntu")) {
            return Family.DEBIAN;
        }
        if (is("rhel")
                || is("centos")
                || is("fedora")
                || is("rocky")
                || is("almalinux")
                || is("openeuler")
                || is("kylin")
                || is("ol")
                || is("amzn")) {
            return Family.RHEL;
        }
        return Family.UNKNOWN;
    }

    private boolean is(String name) {
        return id.equals(name) || idLike.contains(name);
    }

    @Override
    public String toString() {
        return id + " " + versionId;
    }
}
