package io.kk.artifact;

import io.kk.error.KkException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;

/**
 * The one judge of tar entries for every place kk reads or unpacks a tarball (artifacts, release
 * tarballs unpacked on hosts, chart packages): an entry is refused, naming the archive and the
 * entry, when it could write or point outside the folder it is unpacked into, or is not a plain
 * file, folder or link. Feed it every entry in order: links and names seen earlier decide later
 * entries (a symlink, then a file written through it).
 *
 * <p>Refused: absolute names, {@code ..} segments, empty or odd names; symlinks to absolute paths
 * or whose target, followed through the archive's earlier symlinks, leaves the root; entries
 * whose path goes through an earlier symlink; hard links to anything but an earlier regular file;
 * devices, FIFOs and other special files; a second entry of the same name (tar would let the last
 * win, so what was checked is not what lands).
 */
public final class TarEntryCheck {
    private static final int MAX_LINK_DEPTH = 40;

    private final String archive;
    /** Every path seen, whether it is a folder. */
    private final Map<String, Boolean> seen = new HashMap<>();

    private final Map<String, String> symlinks = new HashMap<>();
    private final Map<String, Boolean> regularFiles = new HashMap<>();

    /** @param archive how errors name the archive (its path) */
    public TarEntryCheck(String archive) {
        this.archive = archive;
    }

    /**
     * The entry's name without leading {@code ./} and trailing {@code /} ("" for the archive's root
     * folder), or a {@link KkException} (FAILED) naming the archive and the entry.
     */
    public String check(TarArchiveEntry e) {
        String raw = e.getName();
        String name = strip(raw);
        if (name.isEmpty() && e.isDirectory()) {
            return name; // "./" of tar -C dir .
        }
        String problem = SafePaths.problem(name);
        if (problem != null) {
            throw refused(raw, problem);
        }
        if (!(e.isDirectory() || isRegularFile(e) || e.isSymbolicLink() || e.isLink())) {
            throw refused(raw, "a device, FIFO or other special file (only files, folders and links are unpacked)");
        }
        List<String> parts = List.of(name.split("/"));
        for (int i = 1; i < parts.size(); i++) {
            String prefix = String.join("/", parts.subList(0, i));
            if (symlinks.containsKey(prefix)) {
                throw refused(raw, "its path goes through the symlink " + prefix + " -> " + symlinks.get(prefix));
            }
        }
        Boolean before = seen.put(name, e.isDirectory());
        if (before != null && !(before && e.isDirectory())) {
            throw refused(raw, "a second entry of this name (the last would win over the one checked)");
        }
        if (e.isSymbolicLink()) {
            String target = e.getLinkName();
            if (target.isEmpty() || target.indexOf('\0') >= 0) {
                throw refused(raw, "symlink with an empty or odd target");
            }
            if (target.startsWith("/")) {
                throw refused(raw, "symlink to the absolute path " + target);
            }
            if (resolve(parts.subList(0, parts.size() - 1), target, 0) == null) {
                throw refused(raw, "symlink to " + target + ", which leads outside the folder it is unpacked into");
            }
            symlinks.put(name, target);
        } else if (e.isLink()) {
            String target = strip(e.getLinkName());
            String bad = SafePaths.problem(target);
            if (bad != null) {
                throw refused(raw, "hard link to " + e.getLinkName() + ": " + bad);
            }
            if (!regularFiles.containsKey(target)) {
                throw refused(
                        raw,
                        "hard link to " + e.getLinkName() + ", which is no regular file before it in" + " the archive");
            }
        } else if (isRegularFile(e)) {
            regularFiles.put(name, true);
        }
        return name;
    }

    /**
     * A regular file, strictly: commons-compress's {@code isFile()} is also true for symlinks,
     * devices and FIFOs (whatever is not a folder), which would have a link hashed as an empty
     * file while tar on the host unpacks the link.
     */
    public static boolean isRegularFile(TarArchiveEntry e) {
        byte flag = e.getLinkFlag();
        return (flag == TarArchiveEntry.LF_NORMAL
                        || flag == TarArchiveEntry.LF_OLDNORM
                        || flag == TarArchiveEntry.LF_CONTIG)
                && !e.getName().endsWith("/");
    }

    /** Where {@code target} leads from folder {@code dir}, following earlier symlinks; null when it leaves. */
    private List<String> resolve(List<String> dir, String target, int depth) {
        if (depth > MAX_LINK_DEPTH || target.startsWith("/")) {
            return null;
        }
        List<String> cur = new ArrayList<>(dir);
        for (String c : target.split("/")) {
            if (c.isEmpty() || c.equals(".")) {
                continue;
            }
            if (c.equals("..")) {
                if (cur.isEmpty()) {
                    return null;
                }
                cur.remove(cur.size() - 1);
                continue;
            }
            cur.add(c);
            String link = symlinks.get(String.join("/", cur));
            if (link != null) {
                cur.remove(cur.size() - 1);
                cur = resolve(cur, link, depth + 1);
                if (cur == null) {
                    return null;
                }
            }
        }
        return cur;
    }

    private static String strip(String name) {
        String n = name;
        while (n.startsWith("./")) {
            n = n.substring(2);
        }
        while (n.endsWith("/")) {
            n = n.substring(0, n.length() - 1);
        }
        return n.equals(".") ? "" : n;
    }

    private KkException refused(String entry, String why) {
        return KkException.failed(
                archive + ": refusing entry " + entry + ": " + why,
                "the archive is unsafe or damaged; use only archives from a trusted source (nothing was unpacked"
                        + " from this entry)");
    }
}
