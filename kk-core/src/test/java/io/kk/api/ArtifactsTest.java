package io.kk.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kk.artifact.ArtifactIndex;
import io.kk.error.ErrorKind;
import io.kk.error.KkException;
import io.kk.event.EventSink;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An artifact directory is used as it is, unless it is a kk import that never finished. */
class ArtifactsTest {
    @TempDir
    Path dir;

    @Test
    void aKkImportWithoutItsCompletionMarkerIsRefusedWithTheRerunAsHint() throws Exception {
        Path index = dir.resolve(ArtifactIndex.PATH);
        Files.createDirectories(index.getParent());
        Files.writeString(index, "{}");
        assertThatThrownBy(() -> Artifacts.prepare(dir, dir.resolve("work"), EventSink.NONE))
                .isInstanceOfSatisfying(KkException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_INPUT);
                    assertThat(e.getMessage()).contains("unfinished import");
                    assertThat(e.hint()).contains("kk artifact import");
                });

        Files.writeString(dir.resolve(Artifacts.MARKER), "done\n");
        assertThat(Artifacts.prepare(dir, dir.resolve("work"), EventSink.NONE)).isEqualTo(dir);
    }

    @Test
    void aDirectoryNotImportedByKkIsUsedAsItIs() throws Exception {
        Files.createDirectories(dir.resolve("etcd/v3.4.23/amd64"));
        assertThat(Artifacts.prepare(dir, dir.resolve("work"), EventSink.NONE)).isEqualTo(dir);
    }
}
