package io.kk.cluster.configure;

import static org.assertj.core.api.Assertions.assertThat;

import io.kk.config.ClusterConfig;
import io.kk.config.ConfigLoader;
import io.kk.config.KnownVersions;
import io.kk.config.LoadedCluster;
import io.kk.image.RegistryTarget;
import java.util.List;

/** Cluster configs for the cluster-settings tests, written as users write them. */
final class SettingsScenarios {
    static final String REGISTRY = "dockerhub.kubekey.local";
    static final String OVERRIDE = "kubesphereio";

    /** KubeKey's sample of {@code spec.dns}, every field set. */
    static final String CUSTOM_DNS =
            """
              dns:
                dnsEtcHosts: |
                  10.0.0.30 dockerhub.kubekey.local
                  10.0.0.31 git.example.com
                coredns:
                  additionalConfigs: |
                    log
                  externalZones:
                  - zones: [example.com, example.org:53]
                    nameservers: [10.0.0.53, 10.0.0.54]
                    cache: 60
                    rewrite: ["name regex (.*)\\\\.example\\\\.org {1}.example.com"]
                  rewriteBlock: |
                    rewrite stop {
                      name regex (.*)\\.svc\\.old\\.local {1}.svc.cluster.local
                      answer name (.*)\\.svc\\.cluster\\.local {1}.svc.old.local
                    }
                  upstreamDNSServers: [1.1.1.1, 8.8.8.8]
                nodelocaldns:
                  externalZones:
                  - zones: [corp.internal]
                    nameservers: [10.1.0.53]
            """;

    /**
     * @param name golden directory name
     * @param spec more {@code spec} sections (indented by 2), e.g. {@link #CUSTOM_DNS}
     * @param kubernetesExtra more {@code spec.kubernetes} lines, indented by 4
     * @param localStorage {@code --with-local-storage}
     */
    record Scenario(
            String name,
            String version,
            boolean privateRegistry,
            String spec,
            String kubernetesExtra,
            boolean labels,
            Boolean localStorage) {
        ClusterConfig config() {
            LoadedCluster loaded = ConfigLoader.cluster(text(), "test.yaml", KnownVersions.ANY);
            assertThat(loaded.errors()).as(text()).isEmpty();
            return io.kk.cluster.storage.LocalStorage.withFlag(loaded.config(), localStorage);
        }

        RegistryTarget target() {
            return privateRegistry ? new RegistryTarget(REGISTRY, OVERRIDE, null, false) : RegistryTarget.of("");
        }

        String text() {
            return """
                    apiVersion: kubekey.kubesphere.io/v1alpha2
                    kind: Cluster
                    metadata:
                      name: sample
                    spec:
                      hosts:
                      - {name: master1, address: 192.168.0.2, internalAddress: 192.168.0.2, user: root, password: x%s}
                      - {name: worker1, address: 192.168.0.3, internalAddress: 192.168.0.3, user: root, password: x%s}
                      - {name: worker2, address: 192.168.0.4, internalAddress: 192.168.0.4, user: root, password: x}
                      roleGroups:
                        etcd: [master1]
                        control-plane: [master1]
                        worker: [worker1, worker2]
                      kubernetes:
                        version: %s
                        containerManager: containerd
                    %s  network:
                        plugin: calico
                        kubeServiceCIDR: 10.96.0.0/16
                      storage:
                        openebs:
                          basePath: /data/openebs/local
                      registry:
                        privateRegistry: "%s"
                        namespaceOverride: "%s"
                    %s"""
                    .formatted(
                            labels ? ", labels: {node-role.kubernetes.io/edge: \"\", zone: a}" : "",
                            labels ? ", labels: {disk: ssd, example.com/gpu: \"true\"}" : "",
                            version,
                            kubernetesExtra,
                            privateRegistry ? REGISTRY : "",
                            privateRegistry ? OVERRIDE : "",
                            spec);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private SettingsScenarios() {}

    static List<Scenario> all() {
        return List.of(
                new Scenario("v1.21-dockerhub-defaults", "v1.21.14", false, "", "", false, null),
                new Scenario("v1.26-private-defaults", "v1.26.15", true, "", "", false, null),
                new Scenario("v1.31-dockerhub-custom-dns-labels-storage", "v1.31.4", false, CUSTOM_DNS, "", true, true),
                new Scenario("v1.31-private-custom-dns-labels-storage", "v1.31.4", true, CUSTOM_DNS, "", true, true),
                new Scenario(
                        "v1.26-private-no-nodelocaldns-custom-dns",
                        "v1.26.15",
                        true,
                        CUSTOM_DNS,
                        "    nodelocaldns: false\n",
                        false,
                        null));
    }
}
