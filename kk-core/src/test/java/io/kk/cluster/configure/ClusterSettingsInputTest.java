package io.kk.cluster.configure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kk.api.ManifestCreate;
import io.kk.cluster.dns.DnsManifests;
import io.kk.cluster.dns.DnsSettings;
import io.kk.config.ClusterConfig;
import io.kk.error.KkException;
import io.kk.event.EventSink;
import io.kk.image.RegistryTarget;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the config can get wrong is refused before any host is touched; edge cases of the inputs. */
class ClusterSettingsInputTest {
    @TempDir
    Path dir;

    private static SettingsScenarios.Scenario scenario(String spec) {
        return new SettingsScenarios.Scenario("t", "v1.28.2", false, spec, "", false, null);
    }

    @Test
    void anExternalZoneWithoutNameserversIsRefusedAndACacheOfZeroBecomesThirty() {
        String noServers = "  dns:\n    nodelocaldns:\n      externalZones:\n      - zones: [a.example]\n";
        assertThatThrownBy(() -> DnsSettings.of(scenario(noServers).config(), RegistryTarget.of("")))
                .isInstanceOf(KkException.class)
                .hasMessageContaining("dns.nodelocaldns.externalZones[0] needs zones and nameservers");
        String noCache =
                "  dns:\n    coredns:\n      externalZones:\n      - {zones: [a.example], nameservers: [10.0.0.1]}\n";
        DnsSettings s = DnsSettings.of(scenario(noCache).config(), RegistryTarget.of(""));
        assertThat(s.coredns().externalZones().get(0).cache()).isEqualTo(30);
        assertThat(DnsManifests.files(s).get(DnsManifests.COREDNS_PATH)).contains("        cache 30\n");
    }

    @Test
    void aLabelKubernetesWouldRefuseIsRefusedWithTheHost() {
        String text = scenario("")
                .text()
                .replace(
                        "user: root, password: x}\n  - {name: worker2",
                        "user: root, password: x, labels: {\"bad key\": v}}\n  - {name: worker2");
        ClusterConfig c = io.kk.config.ConfigLoader.cluster(text, "t.yaml", io.kk.config.KnownVersions.ANY)
                .config();
        assertThatThrownBy(() -> NodeLabels.steps(c))
                .isInstanceOf(KkException.class)
                .hasMessageContaining("hosts[worker1].labels: bad key is not a Kubernetes label key");
        assertThat(NodeLabels.steps(scenario("").config())).isEmpty();
    }

    @Test
    void aConfigWithKubeSphereListsOpenEbsImagesInTheManifest() throws Exception {
        String ks = "---\napiVersion: installer.kubesphere.io/v1alpha1\nkind: ClusterConfiguration\n"
                + "metadata:\n  name: ks-installer\n  namespace: kubesphere-system\n"
                + "  labels:\n    version: v3.4.1\nspec: {}\n";
        Path file = dir.resolve("c.yaml");
        Files.writeString(file, scenario("").text() + ks);
        ManifestCreate.Created created = ManifestCreate.create(
                new ManifestCreate.Request(
                        "t", List.of("v1.28.2"), file, null, List.of(), false, dir.resolve("m.yaml"), true),
                EventSink.NONE);
        assertThat(created.manifest().images())
                .contains("docker.io/openebs/provisioner-localpv:3.3.0", "docker.io/openebs/linux-utils:3.3.0");
    }
}
