package io.kk.cluster.configure;

import static org.assertj.core.api.Assertions.assertThat;

import io.kk.api.ManifestCreate;
import io.kk.cluster.network.KubeStep;
import io.kk.event.EventSink;
import io.kk.image.ImageReference;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * The images CoreDNS, nodelocaldns and OpenEBS are deployed with are in the artifact {@code kk
 * create manifest} makes for the same config (and local storage adds exactly its two images), and
 * with a private registry they are the names {@code PushImages} pushes.
 */
class SettingsImagesMatchArtifactTest {
    @TempDir
    Path dir;

    static List<SettingsScenarios.Scenario> scenarios() {
        return SettingsScenarios.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void deployedImagesAreTheArtifactsImages(SettingsScenarios.Scenario sc) throws IOException {
        boolean storage = Boolean.TRUE.equals(sc.localStorage());
        Set<String> artifact = manifestImages(sc, storage);
        Set<String> deployed = new TreeSet<>();
        for (String name : referenced(sc)) {
            // the name on the nodes back to its source: what the artifact holds and PushImages pushes
            String source = artifact.stream()
                    .filter(a -> sc.target()
                            .destinationFor(ImageReference.parse(a))
                            .toString()
                            .equals(ImageReference.parse(name).toString()))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError(name + " is not pushed from any image of " + artifact));
            deployed.add(source);
        }
        assertThat(deployed).anyMatch(i -> i.startsWith("docker.io/coredns/coredns:"));
        boolean nodeLocal = sc.config().kubernetes().nodelocaldns();
        assertThat(deployed.stream().anyMatch(i -> i.contains("k8s-dns-node-cache")))
                .isEqualTo(nodeLocal);
        // what --with-local-storage adds to the artifact is exactly what the OpenEBS step deploys
        Set<String> added = new TreeSet<>(manifestImages(sc, true));
        added.removeAll(manifestImages(sc, false));
        assertThat(added)
                .containsExactlyInAnyOrder(
                        "docker.io/openebs/provisioner-localpv:3.3.0", "docker.io/openebs/linux-utils:3.3.0");
        if (storage) {
            assertThat(deployed).containsAll(added);
        }
        if (sc.privateRegistry()) {
            assertThat(referenced(sc)).allMatch(i -> i.startsWith("dockerhub.kubekey.local/kubesphereio/"));
        }
    }

    private Set<String> manifestImages(SettingsScenarios.Scenario sc, boolean withLocalStorage) throws IOException {
        Path config = Files.createTempFile(dir, "config", ".yaml");
        Files.writeString(config, sc.text());
        Path out = Files.createTempFile(dir, "manifest", ".yaml");
        ManifestCreate.Created c = ManifestCreate.create(
                new ManifestCreate.Request(
                        "t",
                        List.of(sc.version()),
                        config,
                        null,
                        List.of("amd64"),
                        false,
                        out,
                        true,
                        withLocalStorage,
                        null),
                EventSink.NONE);
        return new TreeSet<>(c.manifest().images());
    }

    /** Every image the files name: {@code image:} fields and OpenEBS's helper image variable. */
    static Set<String> referenced(SettingsScenarios.Scenario sc) {
        Set<String> out = new TreeSet<>();
        for (KubeStep st : ClusterSettingsPlan.steps(sc.config(), sc.target())) {
            for (String text : st.files().values()) {
                for (Object doc : new Yaml(new LoaderOptions()).loadAll(text)) {
                    collect(doc, out);
                }
            }
        }
        return out;
    }

    private static void collect(Object node, Set<String> out) {
        if (node instanceof Map<?, ?> m) {
            if ("OPENEBS_IO_HELPER_IMAGE".equals(m.get("name")) && m.get("value") instanceof String img) {
                out.add(img);
            }
            m.forEach((k, v) -> {
                if ("image".equals(k) && v instanceof String img) {
                    out.add(img);
                } else {
                    collect(v, out);
                }
            });
        } else if (node instanceof List<?> l) {
            l.forEach(x -> collect(x, out));
        }
    }
}
