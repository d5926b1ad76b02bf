package io.kk.export;

import io.kk.download.HttpDownloader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;

/**
 * The sha256 of local files (ISOs, chart packages) an export packs, remembered in its prefetch dir
 * by path, size and modification time: a resumed export would otherwise hash a multi-GB ISO again
 * before writing a byte. Trusting the cache is safe because the writer hashes every file again as
 * it appends it, and refuses one that no longer matches.
 */
final class LocalHashes {
    private static final String FILE = "local-sha256";

    private final Path cache;
    private final Map<String, String> known = new HashMap<>();

    /** @param dir the export's prefetch dir (null for no cache) */
    LocalHashes(Path dir) {
        this.cache = dir == null ? null : dir.resolve(FILE);
        if (cache != null && Files.isRegularFile(cache)) {
            try {
                for (String line : Files.readAllLines(cache, StandardCharsets.UTF_8)) {
                    int space = line.indexOf(' ');
                    if (space == 64) {
                        known.put(line.substring(space + 1), line.substring(0, space));
                    }
                }
            } catch (IOException e) {
                known.clear(); // a cache only: hash again
            }
        }
    }

    /** The file's sha256, from the cache when its path, size and mtime are unchanged. */
    String sha256(Path file) throws IOException {
        Path abs = file.toAbsolutePath().normalize();
        String key = Files.size(abs) + " " + Files.getLastModifiedTime(abs).toMillis() + " " + abs;
        String sha = known.get(key);
        if (sha != null) {
            return sha;
        }
        sha = HttpDownloader.sha256(abs);
        known.put(key, sha);
        if (cache != null && !key.contains("\n")) {
            Files.createDirectories(cache.getParent());
            Files.writeString(
                    cache,
                    sha + " " + key + "\n",
                    StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        }
        return sha;
    }
}
