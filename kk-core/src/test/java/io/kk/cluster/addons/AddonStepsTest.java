package io.kk.cluster.addons;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kk.cluster.network.KubeStep;
import io.kk.config.ClusterConfig;
import io.kk.config.ConfigLoader;
import io.kk.config.KnownVersions;
import io.kk.config.LoadedCluster;
import io.kk.error.KkException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** addons[] become helm and kubectl commands, in the config's order, with their values and files. */
class AddonStepsTest {
    @TempDir
    Path configDir;

    @TempDir
    Path artifact;

    @BeforeEach
    void files() throws Exception {
        Files.writeString(configDir.resolve("nfs-values.yaml"), "nfs:\n  server: 10.0.0.9\n");
        Files.createDirectories(configDir.resolve("charts"));
        Files.writeString(configDir.resolve("charts/local-path-0.0.24.tgz"), "local chart");
        Files.createDirectories(configDir.resolve("manifests"));
        Files.writeString(configDir.resolve("manifests/ns.yaml"), "kind: Namespace\n");
        Files.writeString(configDir.resolve("manifests/app.yaml"), "kind: Deployment\n");
        Files.createDirectories(artifact.resolve("charts"));
        Files.writeString(artifact.resolve("charts/metrics-server-3.12.1.tgz"), "packed chart");
    }

    private ClusterConfig config(String addons) {
        return config(addons, "v1.28.2");
    }

    private ClusterConfig config(String addons, String version) {
        String text =
                """
                apiVersion: kubekey.kubesphere.io/v1alpha2
                kind: Cluster
                metadata: {name: a}
                spec:
                  hosts:
                  - {name: master1, address: 10.0.0.2, user: root, password: x}
                  roleGroups:
                    etcd: [master1]
                    control-plane: [master1]
                    worker: [master1]
                  kubernetes: {version: %s}
                  addons:
                """
                                .formatted(version)
                        + addons;
        LoadedCluster loaded = ConfigLoader.cluster(text, "c.yaml", KnownVersions.ANY);
        assertThat(loaded.errors()).isEmpty();
        return loaded.config();
    }

    static final String FOUR_ADDONS =
            """
              - name: nfs-client
                namespace: kube-system
                retries: 3
                delay: 10
                sources:
                  chart:
                    name: nfs-client-provisioner
                    repo: https://charts.kubesphere.io/main
                    version: 4.0.11
                    valuesFile: nfs-values.yaml
                    values: ["storageClass.defaultClass=true", "nfs.path=/srv/nfs share"]
              - name: local-path
                sources:
                  chart:
                    name: local-path
                    path: charts/local-path-0.0.24.tgz
                    wait: true
              - name: metrics-server
                namespace: kube-system
                sources:
                  chart:
                    name: metrics-server
                    repo: https://kubernetes-sigs.github.io/metrics-server
                    version: 3.12.1
              - name: app
                namespace: apps
                sources:
                  yaml:
                    path: [manifests/ns.yaml, "https://example.com/app/crds.yaml", manifests/app.yaml]
            """;

    @Test
    void addonsRunInOrderWithTheirValuesAndFiles() {
        List<KubeStep> steps = AddonSteps.steps(config(FOUR_ADDONS).addons(), configDir, artifact, true);
        assertThat(steps)
                .extracting(KubeStep::name)
                .containsExactly("addon-nfs-client", "addon-local-path", "addon-metrics-server", "addon-app");
        String helm = "/usr/local/bin/helm --kubeconfig /etc/kubernetes/admin.conf";
        String kubectl = "/usr/local/bin/kubectl --kubeconfig /etc/kubernetes/admin.conf";
        assertThat(steps)
                .extracting(KubeStep::command)
                .containsExactly(
                        helm + " upgrade --install nfs-client nfs-client-provisioner"
                                + " --repo https://charts.kubesphere.io/main --version 4.0.11"
                                + " --namespace kube-system --create-namespace"
                                + " -f /etc/kubernetes/addons/nfs-client/values-nfs-values.yaml"
                                + " --set storageClass.defaultClass=true --set 'nfs.path=/srv/nfs share'"
                                + " --timeout 300s",
                        helm + " upgrade --install local-path /etc/kubernetes/addons/local-path/local-path-0.0.24.tgz"
                                + " --namespace default --create-namespace --wait --timeout 300s",
                        // the artifact holds charts/metrics-server-3.12.1.tgz: no repo needed
                        helm + " upgrade --install metrics-server"
                                + " /etc/kubernetes/addons/metrics-server/metrics-server-3.12.1.tgz"
                                + " --namespace kube-system --create-namespace --timeout 300s",
                        // KubeKey's InstallYaml from 1.16: server-side, its field manager, no validation
                        kubectl + " apply --server-side --field-manager=kubectl-client-side-apply --validate=false"
                                + " -n apps -f /etc/kubernetes/addons/app/1-ns.yaml"
                                + " -f https://example.com/app/crds.yaml -f /etc/kubernetes/addons/app/3-app.yaml");
        assertThat(steps.get(0).uploads())
                .containsExactly(Map.entry(
                        "/etc/kubernetes/addons/nfs-client/values-nfs-values.yaml",
                        configDir.resolve("nfs-values.yaml")));
        assertThat(steps.get(1).uploads()).containsValue(configDir.resolve("charts/local-path-0.0.24.tgz"));
        assertThat(steps.get(2).uploads()).containsValue(artifact.resolve("charts/metrics-server-3.12.1.tgz"));
        assertThat(steps.get(3).uploads().keySet())
                .containsExactly("/etc/kubernetes/addons/app/1-ns.yaml", "/etc/kubernetes/addons/app/3-app.yaml");
        // retries and delay as given, KubeKey's single try and 5 s otherwise
        assertThat(steps.get(0).script()).contains("-ge 3 ]").contains("sleep 10");
        assertThat(steps.get(1).script()).doesNotContain("until");
    }

    /** KubeKey's InstallYaml: server-side from v1.16.0 (its version compare), client-side below. */
    @Test
    void yamlIsAppliedServerSideFromKubernetes116AsKubeKeyDoes() {
        String app = FOUR_ADDONS.substring(FOUR_ADDONS.indexOf("  - name: app"));
        for (String[] v : new String[][] {{"v1.15.12", "false"}, {"v1.16.0", "true"}, {"v1.28.2", "true"}}) {
            ClusterConfig c = config(app, v[0]);
            boolean serverSide = AddonSteps.serverSideApply(c.kubernetes());
            assertThat(serverSide).as(v[0]).isEqualTo(Boolean.parseBoolean(v[1]));
            String command = AddonSteps.steps(c.addons(), configDir, artifact, serverSide)
                    .get(0)
                    .command();
            assertThat(command)
                    .as(v[0])
                    .isEqualTo("/usr/local/bin/kubectl --kubeconfig /etc/kubernetes/admin.conf apply"
                            + (serverSide ? " --server-side --field-manager=kubectl-client-side-apply" : "")
                            + " --validate=false -n apps -f /etc/kubernetes/addons/app/1-ns.yaml"
                            + " -f https://example.com/app/crds.yaml -f /etc/kubernetes/addons/app/3-app.yaml");
            // as KubeKey: conflicts with another field manager fail the apply rather than being forced
            assertThat(command).doesNotContain("--force-conflicts");
        }
    }

    @Test
    void withoutTheArtifactTheRepoIsUsed() {
        List<KubeStep> steps = AddonSteps.steps(config(FOUR_ADDONS).addons(), configDir, null, true);
        assertThat(steps.get(2).command())
                .contains(" upgrade --install metrics-server metrics-server"
                        + " --repo https://kubernetes-sigs.github.io/metrics-server --version 3.12.1 ");
        assertThat(steps.get(2).uploads()).isEmpty();
    }

    @Test
    void aMissingValuesFileIsRefusedWithItsPath() {
        ClusterConfig c = config(
                """
                  - name: x
                    sources:
                      chart: {name: x, repo: "https://r", valuesFile: missing.yaml}
                """);
        assertThatThrownBy(() -> AddonSteps.steps(c.addons(), configDir, artifact, true))
                .isInstanceOf(KkException.class)
                .hasMessageContaining("missing.yaml");
    }

    @Test
    void anUnpackedChartDirectoryIsRefusedWithAHint() throws Exception {
        Files.createDirectories(configDir.resolve("repo/mychart/templates"));
        ClusterConfig c = config(
                """
                  - name: x
                    sources:
                      chart: {name: mychart, path: repo}
                """);
        assertThatThrownBy(() -> AddonSteps.steps(c.addons(), configDir, artifact, true))
                .isInstanceOf(KkException.class)
                .hasMessageContaining("an unpacked chart directory")
                .extracting(e -> ((KkException) e).hint())
                .asString()
                .contains("helm package");
    }

    @Test
    void anAddonWithChartAndYamlInstallsTheChartThenAppliesTheYaml() {
        ClusterConfig c = config(
                """
                  - name: x
                    namespace: ns
                    sources:
                      chart: {name: x, repo: "https://r"}
                      yaml: {path: [manifests/ns.yaml]}
                """);
        List<KubeStep> steps = AddonSteps.steps(c.addons(), configDir, artifact, true);
        assertThat(steps).extracting(KubeStep::name).containsExactly("addon-x", "addon-x-yaml");
        assertThat(steps.get(0).command()).contains(" upgrade --install x x --repo https://r");
        assertThat(steps.get(1).command())
                .endsWith(" apply --server-side --field-manager=kubectl-client-side-apply --validate=false -n ns"
                        + " -f /etc/kubernetes/addons/x/1-ns.yaml");
    }

    @Test
    void yamlValuesAreIgnoredAsKubeKeyIgnoresThem() {
        // KubeKey's Yaml source has only 'path': the files are applied as they are
        String withValues =
                """
                  - name: x
                    sources:
                      yaml: {path: [manifests/ns.yaml], values: ["replicas=3"]}
                """;
        String without =
                """
                  - name: x
                    sources:
                      yaml: {path: [manifests/ns.yaml]}
                """;
        assertThat(config(withValues).addons().get(0).yaml().values()).containsExactly("replicas=3");
        assertThat(AddonSteps.steps(config(withValues).addons(), configDir, artifact, true))
                .isEqualTo(AddonSteps.steps(config(without).addons(), configDir, artifact, true));
    }
}
