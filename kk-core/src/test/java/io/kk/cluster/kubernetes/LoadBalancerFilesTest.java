package io.kk.cluster.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoadBalancerFilesTest {

    private static KubeadmSettings haproxySettings() {
        return KubeadmSettings.builder("v1.26.15")
                .nodes(Scenarios.ha())
                .controlPlaneEndpoint(Scenarios.haproxy())
                .etcd(Scenarios.kubekeyEtcd(Scenarios.ha()))
                .build();
    }

    @Test
    void haproxyAcceptsItsConfig(@TempDir Path dir) throws Exception {
        Path cfg = dir.resolve("haproxy.cfg");
        Files.writeString(cfg, LoadBalancerFiles.haproxyConfig(haproxySettings()));
        Process p = new ProcessBuilder("haproxy", "-c", "-f", cfg.toString())
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
        assertThat(out).contains("Configuration file is valid");
    }

    @Test
    void staticPodsAreValidPodsWithoutUnknownFields() {
        KubeadmSettings vip = haproxySettings().toBuilder()
                .controlPlaneEndpoint(Scenarios.kubeVip())
                .build();
        for (String manifest : new String[] {
            LoadBalancerFiles.haproxyManifest(haproxySettings()), LoadBalancerFiles.kubeVipManifest(vip, "ens3", false)
        }) {
            Pod pod = Serialization.unmarshal(manifest, Pod.class);
            assertThat(pod.getAdditionalProperties()).isEmpty();
            assertThat(pod.getSpec().getAdditionalProperties()).isEmpty();
            assertThat(pod.getSpec().getHostNetwork()).isTrue();
            Container c = pod.getSpec().getContainers().get(0);
            assertThat(c.getAdditionalProperties()).isEmpty();
            assertThat(c.getImage()).isNotBlank();
        }
    }

    @Test
    void haproxyManifestChangesWhenTheBackendsChange() {
        KubeadmSettings three = haproxySettings();
        KubeadmSettings two =
                three.toBuilder().nodes(Scenarios.ha().subList(1, 5)).build();
        assertThat(LoadBalancerFiles.haproxyManifest(three)).isNotEqualTo(LoadBalancerFiles.haproxyManifest(two));
        assertThat(LoadBalancerFiles.haproxyManifest(three))
                .contains("cfg-checksum: " + LoadBalancerFiles.md5(LoadBalancerFiles.haproxyConfig(three)));
    }
}
