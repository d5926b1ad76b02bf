package io.kk.iso;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Images made by genisoimage (as KubeKey's repository ISOs are) read back byte for byte. */
class Iso9660Test {

    @ParameterizedTest
    @ValueSource(strings = {"-R -J", "-R", "-J"})
    void filesWithLongNamesAndSubdirectoriesComeOutExactly(String flags, @TempDir Path dir) throws Exception {
        Path src = Files.createDirectories(dir.resolve("src"));
        Files.writeString(src.resolve("Packages"), "Package: socat\n");
        byte[] big = new byte[3 * 2048 * 1024 + 17];
        new java.util.Random(7).nextBytes(big);
        Files.write(src.resolve("socat_1.7.4.4-2_amd64.deb"), big);
        Files.createDirectories(src.resolve("pool/main"));
        Files.writeString(src.resolve("pool/main/conntrack_1%3a1.4.7-1+b2_amd64.deb"), "x".repeat(5000));
        Path iso = dir.resolve("repo.iso");
        List<String> cmd = new java.util.ArrayList<>(List.of("genisoimage", "-quiet"));
        cmd.addAll(List.of(flags.split(" ")));
        cmd.addAll(List.of("-o", iso.toString(), src.toString()));
        assertThat(new ProcessBuilder(cmd).inheritIO().start().waitFor()).isZero();

        Path tar = dir.resolve("repo.tar");
        try (OutputStream out = Files.newOutputStream(tar)) {
            Iso9660.toTar(iso, out);
        }
        Path back = Files.createDirectories(dir.resolve("back"));
        assertThat(new ProcessBuilder("tar", "-xf", tar.toString(), "-C", back.toString())
                        .inheritIO()
                        .start()
                        .waitFor())
                .isZero();
        assertThat(Files.readAllBytes(back.resolve("socat_1.7.4.4-2_amd64.deb")))
                .isEqualTo(big);
        assertThat(Files.readString(back.resolve("Packages"))).isEqualTo("Package: socat\n");
        String conntrack = flags.contains("-R") ? "conntrack_1%3a1.4.7-1+b2_amd64.deb" : null;
        if (conntrack != null) {
            assertThat(Files.readString(back.resolve("pool/main/" + conntrack))).hasSize(5000);
        } else {
            // Joliet keeps names up to 64 characters: this one fits
            assertThat(back.resolve("pool/main/conntrack_1%3a1.4.7-1+b2_amd64.deb"))
                    .exists();
        }
    }

    @Test
    void aFileThatIsNoIsoIsBadInput(@TempDir Path dir) throws Exception {
        Path notIso = Files.write(dir.resolve("x.iso"), new byte[40 * 2048]);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Iso9660.list(notIso))
                .hasMessageContaining("is not an ISO 9660 image");
    }
}
