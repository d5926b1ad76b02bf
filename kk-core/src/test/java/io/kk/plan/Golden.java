package io.kk.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

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
}
