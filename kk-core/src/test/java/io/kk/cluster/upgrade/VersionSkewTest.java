package io.kk.cluster.upgrade;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kk.cluster.kubernetes.KubeVersion;
import io.kk.error.ErrorKind;
import io.kk.error.KkException;
import java.util.List;
import org.junit.jupiter.api.Test;

class VersionSkewTest {
    static final List<String> KNOWN = List.of("v1.26.5", "v1.27.2", "v1.27.16", "v1.27.9", "v1.28.2");

    static VersionSkew.Step check(String from, String to) {
        return VersionSkew.check("node1", KubeVersion.parse(from), KubeVersion.parse(to), KNOWN);
    }

    @Test
    void aNewerPatchOrTheNextMinorIsOneStep() {
        assertThat(check("v1.27.2", "v1.27.9")).isEqualTo(VersionSkew.Step.PATCH);
        assertThat(check("v1.27.2", "v1.28.2")).isEqualTo(VersionSkew.Step.MINOR);
        // KubeKey's rule: into the next minor, any patch of it, not only its newest
        assertThat(check("v1.27.16", "v1.28.0")).isEqualTo(VersionSkew.Step.MINOR);
        assertThat(check("v1.28.2", "v1.28.2")).isEqualTo(VersionSkew.Step.NONE);
    }

    @Test
    void aDowngradeIsRefusedEvenAcrossPatches() {
        assertThatThrownBy(() -> check("v1.28.2", "v1.27.16"))
                .isInstanceOf(KkException.class)
                .hasMessage("node1 runs v1.28.2, newer than v1.27.16: kk does not downgrade")
                .satisfies(e -> assertThat(((KkException) e).kind()).isEqualTo(ErrorKind.INVALID_INPUT));
        assertThatThrownBy(() -> check("v1.28.2", "v1.28.1")).hasMessageContaining("does not downgrade");
    }

    @Test
    void skippingAMinorIsRefusedAndTheHintNamesTheNewestPatchOfTheNextMinor() {
        assertThatThrownBy(() -> check("v1.26.5", "v1.28.2"))
                .isInstanceOf(KkException.class)
                .hasMessage("node1 runs v1.26.5: upgrading to v1.28.2 would skip 1 minor version(s); Kubernetes"
                        + " upgrades one minor at a time")
                .satisfies(e -> assertThat(((KkException) e).hint())
                        .isEqualTo("upgrade to v1.27.16 first (kk upgrade --with-kubernetes v1.27.16), then to the next"
                                + " minor, up to v1.28.2"));
        // a minor kk knows nothing of is still named
        assertThatThrownBy(() -> check("v1.24.1", "v1.26.5"))
                .satisfies(e -> assertThat(((KkException) e).hint()).startsWith("upgrade to v1.25.x first"));
    }

    @Test
    void majorVersionsAreNotCrossed() {
        assertThatThrownBy(() -> check("v1.28.2", "v2.0.0")).hasMessageContaining("across major versions");
    }
}
