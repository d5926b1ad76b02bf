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
}
