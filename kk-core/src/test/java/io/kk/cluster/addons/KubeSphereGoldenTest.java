package io.kk.cluster.addons;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kk.cluster.network.KubeStep;
import io.kk.config.ClusterConfig;
import io.kk.config.ConfigLoader;
import io.kk.config.KnownVersions;
import io.kk.config.KubeSphereConfig;
import io.kk.config.LoadedCluster;
import io.kk.error.KkException;
import io.kk.image.RegistryTarget;
import io.kk.plan.Golden;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * Pins the KubeSphere installer files and commands for each etcd type, with and without a private
 * registry, with KubeKey's default ClusterConfiguration and with the config's own. Update with
 * {@code -Dkk.golden.update=true} and review the diff of {@code src/test/resources/golden/kubesphere}.
 */
class KubeSphereGoldenTest {
    static final Path GOLDEN = Path.of("src/test/resources/golden/kubesphere");

    record Scenario(String name, String spec, String extraDocument, boolean withKubesphere, String version) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Scenario> scenarios() {
        return Stream.of(
                new Scenario("v3.4.1-kubekey-etcd-dockerhub", "", "", true, ""),
                new Scenario(
                        "v3.3.2-kubeadm-etcd-private-registry-docker",
                        """
                          etcd: {type: kubeadm}
                          registry: {privateRegistry: "dockerhub.kubekey.local", namespaceOverride: kubesphereio}
                        """,
                        "",
                        true,
                        "v3.3.2"),
                new Scenario(
                        "v3.4.1-own-configuration-external-etcd-http",
                        """
                          etcd:
                            type: external
                            external:
                              endpoints: ["http://10.0.0.50:2381", "http://10.0.0.51:2381"]
                              caFile: ""
                              certFile: ""
                              keyFile: ""
                          registry: {privateRegistry: "registry.local:5000/ks"}
                        """,
                        """
                        ---
                        apiVersion: installer.kubesphere.io/v1alpha1
                        kind: ClusterConfiguration
                        metadata:
                          name: ks-installer
                          namespace: kubesphere-system
                          labels:
                            version: v3.4.1
                        spec:
                          local_registry: ""
                          etcd:
                            monitoring: true
                            endpointIps: localhost
                            port: 2379
                            tlsEnable: true
                          devops:
                            enabled: true
                          logging:
                            enabled: true
                            containerruntime: docker
                          zone: ""
                        """,
                        false,
                        ""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void filesAndCommandsMatchGolden(Scenario sc) throws IOException {
        ClusterConfig c = config(sc);
        RegistryTarget target =
                new RegistryTarget(c.registry().privateRegistry(), c.registry().namespaceOverride(), null, false);
        List<KubeStep> steps = KubeSphereFiles.steps(AddonsPlan.kubesphereSettings(c, target));
        Map<String, String> files = new LinkedHashMap<>();
        StringBuilder commands = new StringBuilder();
        for (KubeStep s : steps) {
            s.files().forEach((p, text) -> files.put(p.substring(p.lastIndexOf('/') + 1), text));
            commands.append("# ").append(s.name()).append('\n');
            s.files().keySet().forEach(p -> commands.append("write ").append(p).append('\n'));
            commands.append("$ ").append(s.script()).append('\n');
        }
        files.put("commands.txt", commands.toString());
        // every document is YAML kubectl can read: apiVersion, kind and a name
        for (Object doc : new Yaml(new LoaderOptions()).loadAll(files.get("kubesphere.yaml"))) {
            @SuppressWarnings("unchecked")
            Map<String, Object> m = (Map<String, Object>) doc;
            assertThat(m).containsKeys("apiVersion", "kind", "metadata");
        }
        Golden.assertDirectoryMatches(GOLDEN.resolve(sc.name()), files);
    }

    @Test
    void kubeSphereFourIsRefused() {
        assertThatThrownBy(() -> new KubeSphereFiles.Settings(
                        "v4.1.2",
                        "",
                        KubeSphereFiles.EtcdAccess.kubeadm(List.of("10.0.0.1")),
                        "",
                        "",
                        "containerd",
                        RegistryTarget.of("")))
                .isInstanceOf(KkException.class)
                .hasMessageContaining("v3.0 to v3.4");
    }

    static ClusterConfig config(Scenario sc) {
        String text =
                """
                apiVersion: kubekey.kubesphere.io/v1alpha2
                kind: Cluster
                metadata: {name: ks}
                spec:
                  hosts:
                  - {name: master1, address: 10.0.0.2, internalAddress: 10.0.0.2, user: root, password: x}
                  - {name: master2, address: 10.0.0.3, internalAddress: 10.0.0.3, user: root, password: x}
                  roleGroups:
                    etcd: [master1, master2]
                    control-plane: [master1, master2]
                    worker: [master1, master2]
                  kubernetes: {version: %s, containerManager: %s}
                %s"""
                                .formatted(
                                        sc.name().endsWith("-docker") ? "v1.23.17" : "v1.26.15",
                                        sc.name().endsWith("-docker") ? "docker" : "containerd",
                                        sc.spec())
                        + sc.extraDocument();
        LoadedCluster loaded = ConfigLoader.cluster(text, "ks.yaml", KnownVersions.ANY);
        assertThat(loaded.errors()).as(text).isEmpty();
        ClusterConfig c = loaded.config();
        if (sc.withKubesphere()) {
            // what --with-kubesphere [version] does: KubeSphere on, KubeKey's default configuration
            c = c.withKubeSphere(new KubeSphereConfig(true, sc.version(), ""));
        }
        assertThat(c.kubesphere().enabled()).isTrue();
        return c;
    }
}
