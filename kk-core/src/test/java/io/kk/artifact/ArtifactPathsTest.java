package io.kk.artifact;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ArtifactPathsTest {
    @Test
    void pathsFollowKubeKeyAndInspectGroupsThem() {
        String iso = ArtifactPaths.repositoryIso("amd64", "ubuntu", "22.04");
        assertThat(iso).isEqualTo("repository/amd64/ubuntu/22.04/ubuntu-22.04-amd64.iso");
        assertThat(ArtifactReader.componentOf(iso)).containsExactly("repository/ubuntu", "22.04", "amd64");

        String harbor = ArtifactPaths.registry("harbor", "v2.5.3", "amd64", "harbor-offline-installer-v2.5.3.tgz");
        assertThat(ArtifactReader.componentOf(harbor)).containsExactly("registry/harbor", "v2.5.3", "amd64");

        String kubeadm = ArtifactPaths.binary("kube", "v1.28.2", "arm64", "kubeadm");
        assertThat(kubeadm).isEqualTo("kube/v1.28.2/arm64/kubeadm");
        assertThat(ArtifactReader.componentOf(kubeadm)).containsExactly("kube", "v1.28.2", "arm64");

        assertThat(ArtifactPaths.blob("sha256:" + "a".repeat(64))).isEqualTo("images/blobs/sha256/" + "a".repeat(64));
    }

    @org.junit.jupiter.api.Test
    void chartsAreNamedByNameAndVersion() {
        assertThat(ArtifactPaths.chart("cert-manager", "v1.13.0")).isEqualTo("charts/cert-manager-v1.13.0.tgz");
        assertThat(ArtifactReader.chartOf("charts/cert-manager-v1.13.0.tgz", 5))
                .isEqualTo(new ArtifactContents.Chart("cert-manager", "v1.13.0", "charts/cert-manager-v1.13.0.tgz", 5));
        assertThat(ArtifactReader.chartOf("charts/k8s-2fa-1.0.0-rc.1.tgz", 1).version())
                .isEqualTo("1.0.0-rc.1");
        assertThat(ArtifactReader.chartOf("kube/v1.28.2/amd64/kubeadm", 1)).isNull();
    }
}
