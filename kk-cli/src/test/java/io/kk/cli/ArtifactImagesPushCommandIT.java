package io.kk.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.kk.image.RegistryTarget;
import io.kk.image.layout.OciLayout;
import io.kk.image.registry.RegistryAuth;
import io.kk.image.registry.RegistryClient;
import io.kk.testkit.registry.RegistryServer;
import io.kk.testkit.registry.TestImages;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArtifactImagesPushCommandIT {
    @TempDir
    Path tmp;

    @Test
    void pushesAnArtifactsImagesWithRewrittenNames() {
        try (RegistryServer reg = RegistryServer.plain()) {
            OciLayout layout = OciLayout.create(tmp.resolve("artifact/images"));
            TestImages.Built img = TestImages.build(layout, TestImages.Spec.small("docker.io/calico/cni:v3.23.2", 5));
            KkRun r = KkRun.of(
                    "artifact",
                    "images",
                    "push",
                    "-a",
                    tmp.resolve("artifact").toString(),
                    "--registry",
                    reg.host(),
                    "--namespace-override",
                    "kubesphereio",
                    "--plain-http");
            String text = r.out();
            assertThat(r.exit()).as(r.err()).isZero();
            assertThat(text)
                    .contains("pushed    " + reg.host() + "/kubesphereio/cni:v3.23.2@"
                            + img.index().digest());
            assertThat(r.err()).contains("images 1/1");
            RegistryClient c = new RegistryClient(reg.host(), new RegistryAuth(null, null, false, true, null));
            assertThat(c.headManifest("kubesphereio/cni", "v3.23.2")
                            .orElseThrow()
                            .digest())
                    .isEqualTo(img.index().digest());
            assertThat(RegistryTarget.of(reg.host()).registryHost()).isEqualTo(reg.host());
        }
    }

    /** The registry, its CA and its login come from a KubeKey Cluster config's spec.registry. */
    @Test
    void pushesToTheConfigsPrivateRegistryOverTlsWithItsAuths() throws Exception {
        String password = "reg-Secret-42";
        try (RegistryServer reg =
                RegistryServer.start(RegistryServer.Settings.tlsOnly().withHtpasswd("admin", password))) {
            OciLayout layout = OciLayout.create(tmp.resolve("artifact/images"));
            TestImages.Built img = TestImages.build(layout, TestImages.Spec.small("docker.io/calico/node:v3.26.1", 5));
            Path config = tmp.resolve("config.yaml");
            java.nio.file.Files.writeString(
                    config,
                    """
                    apiVersion: kubekey.kubesphere.io/v1alpha2
                    kind: Cluster
                    metadata: {name: c}
                    spec:
                      hosts:
                      - {name: node1, address: 10.0.0.1, password: x}
                      roleGroups: {etcd: [node1], control-plane: [node1], worker: [node1]}
                      kubernetes: {version: v1.28.2}
                      registry:
                        privateRegistry: "%1$s"
                        namespaceOverride: kubesphereio
                        auths:
                          "%1$s": {username: admin, password: "%2$s", caFile: "%3$s"}
                    """
                            .formatted(reg.host(), password, reg.caCert()));
            KkRun r = KkRun.of(
                    "artifact", "images", "push", "-a", tmp.resolve("artifact").toString(), "-f", config.toString());
            assertThat(r.exit()).as(r.err()).isZero();
            assertThat(r.out())
                    .contains("pushed    " + reg.host() + "/kubesphereio/node:v3.26.1@"
                            + img.index().digest())
                    .doesNotContain(password);
            assertThat(r.err()).doesNotContain(password);
        }
    }

    @Test
    void withoutARegistryItIsAnInputError() {
        OciLayout.create(tmp.resolve("l"));
        KkRun r = KkRun.of("artifact", "images", "push", "-a", tmp.resolve("l").toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("--registry");
    }
}
