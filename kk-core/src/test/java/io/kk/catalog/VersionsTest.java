package io.kk.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class VersionsTest {
    @Test
    void ordersAsSemver() {
        List<String> versions = new ArrayList<>(
                List.of("v1.10.0", "v1.9.10", "v1.9.9", "v1.10.0-rc.1", "v1.10.0-alpha.2", "v1.10.0-alpha.10", "v2"));

        versions.sort(Versions.SEMVER);

        assertThat(versions)
                .containsExactly(
                        "v1.9.9", "v1.9.10", "v1.10.0-alpha.2", "v1.10.0-alpha.10", "v1.10.0-rc.1", "v1.10.0", "v2");
    }

    @Test
    void theLeadingVAndBuildMetadataDoNotChangeTheOrder() {
        assertThat(Versions.compare("1.6.4", "v1.6.10")).isNegative();
        assertThat(Versions.compare("v1.24.7+k3s1", "v1.24.8")).isNegative();
        assertThat(Versions.compare("24.0.6", "24.0.6")).isZero();
    }
}
