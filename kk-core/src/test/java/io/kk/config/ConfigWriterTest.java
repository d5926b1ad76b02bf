package io.kk.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ConfigWriterTest {

    private static ClusterConfig roundTrip(ClusterConfig c) {
        String text = ConfigWriter.write(c);
        LoadedCluster back = ConfigLoader.cluster(text, "written.yaml", KnownVersions.ANY);
        assertThat(back.problems()).as(text).isEmpty();
        return back.config();
    }

    @Test
    void sampleLoadsBackWithoutProblemsAndEqual() {
        ClusterConfig sample = SampleConfigs.sample("sample", "v1.28.2");
        assertThat(roundTrip(sample)).isEqualTo(sample);
        String text = ConfigWriter.write(sample);
        assertThat(text)
                .startsWith(
                        "apiVersion: kubekey.kubesphere.io/v1alpha2\nkind: Cluster\nmetadata:\n  name: sample\nspec:\n  hosts:\n"
                                + "  - {name: node1, address: 172.16.0.2, internalAddress: 172.16.0.2, port: 22, user: root,"
                                + " privateKeyPath: \"~/.ssh/id_rsa\", arch: amd64, timeout: 30}\n");
        assertThat(text).contains("    containerManager: containerd\n", "    version: v1.28.2\n", "  addons: []\n");
        assertThat(text.indexOf("roleGroups:")).isLessThan(text.indexOf("controlPlaneEndpoint:"));
        assertThat(text.indexOf("\n  kubernetes:")).isLessThan(text.indexOf("\n  etcd:"));
        assertThat(text.indexOf("network:")).isLessThan(text.indexOf("registry:"));
    }

    @Test
    void oldKubernetesGetsDocker() {
        ClusterConfig sample = SampleConfigs.sample("old", "v1.23.10");
        assertThat(sample.kubernetes().containerManager()).isEqualTo("docker");
        assertThat(roundTrip(sample)).isEqualTo(sample);
    }

    @Test
    void everyFieldSurvivesARoundTrip() {
        ClusterConfig full = ConfigLoader.cluster(
                        ClusterConfigLoadTest.resource("every-field-cluster.yaml"), "f.yaml", KnownVersions.ANY)
                .orThrow();
        ClusterConfig back = roundTrip(full);
        assertThat(back).isEqualTo(full);
        ClusterConfig sample = ConfigLoader.cluster(
                        ClusterConfigLoadTest.resource("kubekey-sample-cluster.yaml"), "s.yaml", KnownVersions.ANY)
                .orThrow();
        assertThat(roundTrip(sample)).isEqualTo(sample);
    }

    @Test
    void allInOneUsesThisMachineInEveryRole() {
        LocalMachine machine = new LocalMachine() {
            @Override
            public String hostname() {
                return "Build-01";
            }

            @Override
            public String address() {
                return "10.1.2.3";
            }

            @Override
            public String arch() {
                return "arm64";
            }
        };
        ClusterConfig c = SampleConfigs.allInOne(machine, "v1.28.2");
        assertThat(c.hosts()).singleElement().satisfies(h -> {
            assertThat(h.name()).isEqualTo("build-01");
            assertThat(h.address()).isEqualTo("10.1.2.3");
            assertThat(h.internalAddress()).isEqualTo("10.1.2.3");
            assertThat(h.arch()).isEqualTo("arm64");
            assertThat(h.user()).isEqualTo("root");
        });
        assertThat(c.etcdHosts()).extracting(Host::name).containsExactly("build-01");
        assertThat(c.controlPlaneHosts()).extracting(Host::name).containsExactly("build-01");
        assertThat(c.workerHosts()).extracting(Host::name).containsExactly("build-01");
        assertThat(c.kubernetes().autoRenewCerts()).isTrue();
        assertThat(c.endpointAddress()).isEqualTo("10.1.2.3");
        assertThat(roundTrip(c)).isEqualTo(c);
    }

    @Test
    void defaultRouteAddressFallsBackToLoopback(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path table = dir.resolve("route");
        java.nio.file.Files.writeString(
                table,
                "Iface\tDestination\tGateway\tFlags\tRefCnt\tUse\tMetric\tMask\n"
                        + "lo\t00000000\t0100000A\t0003\t0\t0\t0\t00000000\n");
        assertThat(LocalMachine.defaultRouteAddress(table)).isEqualTo("127.0.0.1");
        assertThat(LocalMachine.defaultRouteAddress(dir.resolve("missing"))).isEqualTo("127.0.0.1");
    }

    @Test
    void scalarsAreQuotedWhenYamlWouldReadThemOtherwise() {
        assertThat(YamlText.scalar("plain")).isEqualTo("plain");
        assertThat(YamlText.scalar("true")).isEqualTo("\"true\"");
        assertThat(YamlText.scalar("6443")).isEqualTo("\"6443\"");
        assertThat(YamlText.scalar("")).isEqualTo("\"\"");
        assertThat(YamlText.scalar("a: b")).isEqualTo("\"a: b\"");
        assertThat(YamlText.scalar("x\"y\n")).isEqualTo("\"x\\\"y\\n\"");
        assertThat(YamlText.scalar("~/.ssh/id_rsa")).isEqualTo("\"~/.ssh/id_rsa\"");
    }
}
