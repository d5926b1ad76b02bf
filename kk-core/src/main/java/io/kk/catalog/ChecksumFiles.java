package io.kk.catalog;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the checksum files projects publish beside their releases: a bare digest (Kubernetes
 * {@code kubeadm.sha256}), {@code sha256sum} output ({@code <hex>  <name>} or {@code <hex> *<name>},
 * one file or many as in etcd's {@code SHA256SUMS}), or BSD style ({@code SHA256 (<name>) = <hex>}).
 */
public final class ChecksumFiles {
    private static final Pattern HEX = Pattern.compile("[0-9a-fA-F]{64}");
    private static final Pattern BSD = Pattern.compile("SHA256 \\((.+)\\) = ([0-9a-fA-F]{64})");

    private ChecksumFiles() {}

    /**
     * The digest for {@code name} in {@code content}: the line naming it, else the only digest of a
     * file that names no file at all. Empty when the file lists other files only.
     */
    public static Optional<String> find(String content, String name) {
        String bare = null;
        int bareCount = 0;
        for (String raw : content.split("\\R")) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            Matcher bsd = BSD.matcher(line);
            if (bsd.matches()) {
                if (sameFile(bsd.group(1), name)) {
                    return Optional.of(bsd.group(2).toLowerCase(Locale.ROOT));
                }
                continue;
            }
            String[] tokens = line.split("\\s+", 2);
            if (!HEX.matcher(tokens[0]).matches()) {
                continue;
            }
            if (tokens.length == 1) {
                bare = tokens[0];
                bareCount++;
            } else if (sameFile(tokens[1].strip(), name)) {
                return Optional.of(tokens[0].toLowerCase(Locale.ROOT));
            }
        }
        return bareCount == 1 ? Optional.of(bare.toLowerCase(Locale.ROOT)) : Optional.empty();
    }

    private static boolean sameFile(String listed, String name) {
        String n = listed.startsWith("*") ? listed.substring(1) : listed; // binary-mode marker
        return n.equals(name) || n.endsWith("/" + name);
    }
}
