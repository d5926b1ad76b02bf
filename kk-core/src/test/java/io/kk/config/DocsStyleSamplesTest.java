package io.kk.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.kk.error.Problem;
import org.junit.jupiter.api.Test;

/** Files shaped like KubeKey's documentation samples load as KubeKey reads them. */
class DocsStyleSamplesTest {

    @Test
    void docsStyleManifestLoadsWithOneWarningForTheMisIndentedAuth() {
        LoadedManifest loaded =
                ConfigLoader.manifest(ClusterConfigLoadTest.resource("docs-style-manifest.yaml"), "m.yaml");
        assertThat(loaded.hasErrors()).isFalse();
        assertThat(loaded.problems())
                .containsExactly(new Problem(
                        Problem.Severity.WARNING,
                        "m.yaml",
                        62,
                        "spec.registry[\"dockerhub.kubekey.local\"]",
                        "unknown field \"dockerhub.kubekey.local\" is ignored",
                        "check the spelling; known fields here: auths"));
        Manifest m = loaded.manifest();
        assertThat(m.operatingSystems().get(0).iso().localPath()).isEqualTo("./ubuntu.iso");
        assertThat(m.operatingSystems().get(0).iso().url()).isEmpty();
        assertThat(m.operatingSystems().get(1).iso().localPath()).isEmpty();
        assertThat(m.kubernetesDistributions()).hasSize(2);
        assertThat(m.components().dockerRegistry().version()).isEqualTo("2");
        assertThat(m.registryAuths()).isEmpty();
    }

    @Test
    void docsStyleClusterReportsOnlyTheRangesThatRunPastTheHosts() {
        LoadedCluster loaded = ConfigLoader.cluster(
                ClusterConfigLoadTest.resource("docs-style-cluster.yaml"), "c.yaml", KnownVersions.ANY);
        assertThat(loaded.errors())
                .extracting(Problem::path, Problem::line, Problem::message)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(
                                "spec.roleGroups.master[1]",
                                18,
                                "[node4], [node5], [node6] and 4 more are in [master] group, but not in hosts list"),
                        org.assertj.core.groups.Tuple.tuple(
                                "spec.roleGroups.worker[1]",
                                21,
                                "[node10], [node11], [node12] and 88 more are in [worker] group, but not in hosts list"));
        assertThat(loaded.warnings()).isEmpty();
        ClusterConfig c = loaded.config();
        assertThat(c.host("node1").orElseThrow().internalIPv6()).isEqualTo("2022::2");
        assertThat(c.network().kubeServiceCIDR()).isEqualTo("10.233.0.0/18,fd00::/108");
        assertThat(c.kubernetes().containerManager()).isEqualTo("docker");
        assertThat(c.registry().auths()).containsKey("dockerhub.kubekey.local");
    }

    @Test
    void docsStyleClusterWithItsRangesTrimmedIsClean() {
        String text = ClusterConfigLoadTest.resource("docs-style-cluster.yaml")
                .replace("node[2:10]", "node[2:3]")
                .replace("node[10:100]", "node[2:3]");
        LoadedCluster loaded = ConfigLoader.cluster(text, "c.yaml", KnownVersions.ANY);
        assertThat(loaded.problems()).isEmpty();
        assertThat(loaded.config().controlPlaneHosts())
                .extracting(Host::name)
                .containsExactly("node1", "node2", "node3");
    }
}
