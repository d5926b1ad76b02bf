package io.kk.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Golden-file assertions. Run with {@code -Dkk.golden.update=true} to rewrite the files under
 * {@code src/test/resources} after an intended change; review the diff before committing.
 */
public final class Golden {
    private Golden() {}

    public static void assertMatches(String resource, String actual) throws IOException {
        if (Boolean.getBoolean("kk.golden.update")) {
            Path file = Path.of("src/test/resources").resolve(resource);
            Files.createDirectories(file.getParent());
            Files.writeString(file, actual, StandardCharsets.UTF_8);
            return;
        }
        try (InputStream in = Golden.class.getClassLoader().getResourceAsStream(resource)) {
            assertThat(in)
                    .as("golden file " + resource + " (create it with -Dkk.golden.update=true)")
                    .isNotNull();
            String expected = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertThat(actual).isEqualTo(expected);
        }
    }

    /**
     * Asserts that {@code dir} holds exactly {@code files} (name to text), byte for byte. With
     * {@code -Dkk.golden.update=true} the directory is first replaced by {@code files}.
     */
    public static void assertDirectoryMatches(Path dir, Map<String, String> files) throws IOException {
        if (Boolean.getBoolean("kk.golden.update")) {
            if (Files.isDirectory(dir)) {
                try (Stream<Path> old = Files.list(dir)) {
                    for (Path p : old.toList()) {
                        Files.delete(p);
                    }
                }
            }
            Files.createDirectories(dir);
            for (Map.Entry<String, String> f : files.entrySet()) {
                Files.writeString(dir.resolve(f.getKey()), f.getValue(), StandardCharsets.UTF_8);
            }
        }
        assertThat(dir)
                .as("golden directory (run with -Dkk.golden.update=true to create)")
                .isDirectory();
        try (Stream<Path> s = Files.list(dir)) {
            assertThat(s.map(p -> p.getFileName().toString()).toList())
                    .containsExactlyInAnyOrderElementsOf(files.keySet());
        }
        for (Map.Entry<String, String> f : files.entrySet()) {
            assertThat(f.getValue())
                    .as(dir.getFileName() + "/" + f.getKey())
                    .isEqualTo(Files.readString(dir.resolve(f.getKey()), StandardCharsets.UTF_8));
        }
    }
}
