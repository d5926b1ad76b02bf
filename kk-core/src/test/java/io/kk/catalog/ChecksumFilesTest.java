package io.kk.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ChecksumFilesTest {
    private static final String A = "0123456789abcdef".repeat(4);
    private static final String B = "fedcba9876543210".repeat(4);

    @Test
    void aBareDigestAnswersForAnyName() {
        assertThat(ChecksumFiles.find(A + "\n", "kubeadm")).contains(A);
    }

    @Test
    void sha256sumLinesAreMatchedByName() {
        String sums = "# comment\n" + B + "  other.tgz\n" + A + " *docker-compose-linux-x86_64\r\n";
        assertThat(ChecksumFiles.find(sums, "docker-compose-linux-x86_64")).contains(A);
        assertThat(ChecksumFiles.find(sums, "other.tgz")).contains(B);
        assertThat(ChecksumFiles.find(sums, "missing.tgz")).isEmpty();
    }

    @Test
    void pathsInTheListAndBsdStyleAreUnderstood() {
        assertThat(ChecksumFiles.find(A + "  ./dist/crictl.tar.gz\n", "crictl.tar.gz"))
                .contains(A);
        assertThat(ChecksumFiles.find("SHA256 (buildx) = " + A.toUpperCase() + "\n", "buildx"))
                .contains(A);
    }

    @Test
    void severalBareDigestsOrGarbageAreNoAnswer() {
        assertThat(ChecksumFiles.find(A + "\n" + B + "\n", "x")).isEmpty();
        assertThat(ChecksumFiles.find("<html>Not Found</html>", "x")).isEmpty();
    }
}
