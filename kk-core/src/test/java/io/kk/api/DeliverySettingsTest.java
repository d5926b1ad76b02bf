package io.kk.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.kk.cluster.runtime.RuntimeSettings;
import io.kk.config.ClusterConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeliverySettingsTest {
    @TempDir
    Path dir;

    ClusterConfig config(String registry) throws Exception {
        Path f = dir.resolve("c.yaml");
        Files.writeString(
                f,
                """
                apiVersion: kubekey.kubesphere.io/v1alpha2
                kind: Cluster
                metadata: {name: t}
                spec:
                  hosts:
                  - {name: n1, address: 10.0.0.1, user: root, password: x}
                  - {name: n2, address: 10.0.0.2, user: root, password: x}
                  roleGroups: {registry: [n1], etcd: [n2], control-plane: [n2]}
                  kubernetes: {version: v1.28.2, containerManager: containerd}
                  registry:
                %s
                """
                        .formatted(registry));
        return Configs.load(f).orThrow();
    }

    @Test
    void ownRegistryGetsKubeKeysDefaultNameAndKksCa() throws Exception {
        ClusterConfig c = config(
                """
                    namespaceOverride: kubesphereio
                    auths:
                      dockerhub.kubekey.local: {username: u, password: p}
                """);
        assertThat(DeliverySettings.registryHostPort(c)).isEqualTo("dockerhub.kubekey.local");
        assertThat(DeliverySettings.sandboxImage(c)).isEqualTo("dockerhub.kubekey.local/kubesphereio/pause:3.9");
        RuntimeSettings s = DeliverySettings.runtimeSettings(c);
        assertThat(s.registries()).singleElement().satisfies(a -> {
            assertThat(a.host()).isEqualTo("dockerhub.kubekey.local");
            assertThat(a.username()).isEqualTo("u");
            assertThat(a.caFile()).isEqualTo("/etc/containerd/certs.d/dockerhub.kubekey.local/ca.crt");
        });
        assertThat(PushImages.connectHost(c)).contains("10.0.0.1");
    }

    @Test
    void aPortInPrivateRegistryIsKeptEverywhere() throws Exception {
        ClusterConfig c = config("    privateRegistry: reg.local:5443/proj\n");
        assertThat(DeliverySettings.registryName(c)).isEqualTo("reg.local");
        assertThat(DeliverySettings.registryPort(c)).isEqualTo(5443);
        assertThat(DeliverySettings.sandboxImage(c)).isEqualTo("reg.local:5443/proj/kubesphere/pause:3.9");
        assertThat(DeliverySettings.nodeCaPath(c)).isEqualTo("/etc/containerd/certs.d/reg.local:5443/ca.crt");
        assertThat(PushImages.connectHost(c)).contains("10.0.0.1:5443");
    }

    @Test
    void theRegistryPlanPreviewNamesEveryStepWithoutTouchingTheWorkDir() throws Exception {
        ClusterConfig c = config("    registryDataDir: /data/reg\n");
        Path artifact = dir.resolve("artifact");
        Path tgz = artifact.resolve("registry/registry/2.8.2/amd64/registry-2.8.2-linux-amd64.tar.gz");
        Files.createDirectories(tgz.getParent());
        try (var out = new org.apache.commons.compress.archivers.tar.TarArchiveOutputStream(
                new java.util.zip.GZIPOutputStream(Files.newOutputStream(tgz)))) {
            var e = new org.apache.commons.compress.archivers.tar.TarArchiveEntry("registry");
            byte[] body = "binary".getBytes();
            e.setSize(body.length);
            out.putArchiveEntry(e);
            out.write(body);
            out.closeArchiveEntry();
        }
        Path work = dir.resolve("work");
        HostRunOptions o = new HostRunOptions(dir.resolve("kh"), false, dir, io.kk.plan.RunOptions.defaults(), true);
        String plan = InitRegistry.preview(new InitRegistry.Request(c, artifact, work, o))
                .render();
        assertThat(plan)
                .contains("/usr/local/bin/registry sha256 "
                        + io.kk.plan.Actions.sha256("binary").substring(0, 12))
                .contains("rootdirectory: /data/reg")
                .contains("/etc/containerd/certs.d/dockerhub.kubekey.local/ca.crt")
                .contains("10.0.0.1  dockerhub.kubekey.local")
                .contains("systemctl enable --now registry");
        assertThat(work).doesNotExist();
    }
}
