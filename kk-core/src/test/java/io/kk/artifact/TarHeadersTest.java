package io.kk.artifact;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TarHeadersTest {
    @TempDir
    Path tmp;

    @Test
    void longPathIsSplitIntoPrefixAndNameAndGnuTarReadsIt() throws Exception {
        String path = "repository/amd64/ubuntu/22.04/" + "d".repeat(60) + "/" + "f".repeat(90) + ".iso";
        assertThat(path.length()).isGreaterThan(100);
        Path tar = tmp.resolve("t.tar");
        byte[] content = "x".getBytes();
        try (var out = Files.newOutputStream(tar)) {
            out.write(TarHeaders.regularFile(path, content.length, 0644, 1_700_000_000L));
            out.write(content);
            out.write(new byte[TarHeaders.padding(content.length)]);
            out.write(TarHeaders.trailer());
        }
        assertThat(Tools.run(tmp, "tar", "-tf", tar.toString()).trim()).isEqualTo(path);
        assertThat(Tools.run(tmp, "tar", "--full-time", "--numeric-owner", "-tvf", tar.toString()))
                .startsWith("-rw-r--r-- 0/0")
                .contains("2023-11-14");
    }

    @Test
    void sizesBeyondUstarUseBase256() throws IOException {
        long size = 10L * 1024 * 1024 * 1024;
        TarArchiveEntry e = new TarArchiveEntry(TarHeaders.regularFile("repository/a.iso", size, 0644, 0));
        assertThat(e.getSize()).isEqualTo(size);
        assertThat(e.getName()).isEqualTo("repository/a.iso");
        assertThat(e.getMode() & 07777).isEqualTo(0644);
    }

    @Test
    void headerIsTheSameForTheSameInput() {
        assertThat(TarHeaders.regularFile("kube/a", 5, 0755, 7))
                .isEqualTo(TarHeaders.regularFile("kube/a", 5, 0755, 7));
        assertThat(TarHeaders.fits("a/" + "b".repeat(200))).isFalse();
    }
}
