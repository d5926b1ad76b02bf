package io.kk.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.kk.cluster.kubernetes.ContainerRuntime;
import io.kk.cluster.kubernetes.ImageRewrite;
import io.kk.cluster.kubernetes.KubeVersion;
import io.kk.cluster.kubernetes.KubeadmConfigs;
import io.kk.cluster.kubernetes.KubeadmImages;
import io.kk.cluster.kubernetes.KubeadmSettings;
import io.kk.config.ClusterConfig;
import io.kk.config.Manifest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 7's "the images kubeadm will ask for are exactly those {@code kk create manifest
 * --with-kubernetes V} puts in the artifact", end to end through the config: the init file
 * create cluster generates from a Cluster config (imageRepository, etcd and CoreDNS tags, pause)
 * against the manifest create manifest writes for that config, rewritten for the private registry
 * as the nodes pull.
 */
class KubeadmImagesInManifestTest {
    static final Set<String> KUBEADM_COMPONENTS =
            Set.of("etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler", "kube-proxy", "coredns");

    @TempDir
    Path dir;

    private ClusterConfig config(Path file, String version, String runtime, String etcd, String registry, String ns)
            throws Exception {
        Files.writeString(
                file,
                """
                apiVersion: kubekey.kubesphere.io/v1alpha2
                kind: Cluster
                metadata: {name: images}
                spec:
                  hosts:
                  - {name: node1, address: 10.0.0.11, user: root, password: x}
                  roleGroups: {etcd: [node1], control-plane: [node1], worker: [node1]}
                  etcd: {type: %s}
                  kubernetes: {version: %s, containerManager: %s}
                  registry: {privateRegistry: "%s", namespaceOverride: "%s"}
                """
                        .formatted(etcd, version, runtime, registry, ns));
        return Configs.load(file).orThrow();
    }

    @Test
    void theImagesKubeadmPullsAreTheManifestsKubernetesImages() throws Exception {
        int checked = 0;
        for (String version : List.of("v1.21.14", "v1.23.17", "v1.26.15", "v1.28.15", "v1.31.4")) {
            for (String runtime : List.of("containerd", "docker")) {
                if (runtime.equals("docker") && KubeVersion.parse(version).atLeast(24)) {
                    continue; // the config refuses docker from 1.24 on (dockershim was removed)
                }
                for (String etcd : List.of("kubekey", "kubeadm")) {
                    for (String[] registry :
                            List.of(new String[] {"", ""}, new String[] {"dockerhub.kubekey.local", "kubesphereio"})) {
                        Path file = dir.resolve("config-" + checked++ + ".yaml");
                        ClusterConfig c = config(file, version, runtime, etcd, registry[0], registry[1]);
                        Manifest manifest = ManifestCreate.fromVersions(
                                "images",
                                new ManifestCreate.Request(
                                        "images",
                                        List.of(version),
                                        file,
                                        null,
                                        List.of("amd64"),
                                        false,
                                        dir.resolve("m.yaml"),
                                        true),
                                e -> {});
                        check(c, manifest, version + " " + runtime + " etcd=" + etcd + " " + registry[0]);
                    }
                }
            }
        }
        assertThat(checked).isEqualTo((2 * 2 + 3) * 2 * 2);
    }

    private static void check(ClusterConfig c, Manifest manifest, String context) {
        KubeadmSettings s = KubernetesSettings.of(c);
        ImageRewrite rw = KubernetesSettings.imageRewrite(c);
        List<KubeadmImages.Pulled> pulled = KubeadmImages.pulledBy(
                KubeadmConfigs.init(s, c.firstControlPlane().orElseThrow().name()), s.kubeProxy());
        Set<String> inArtifact = new TreeSet<>();
        Set<String> kubeadmPart = new TreeSet<>();
        for (String image : manifest.images()) {
            String rewritten = rw.apply(image);
            inArtifact.add(rewritten);
            String name = image.substring(image.lastIndexOf('/') + 1, image.lastIndexOf(':'));
            if (KUBEADM_COMPONENTS.contains(name)) {
                kubeadmPart.add(rewritten);
            }
        }
        Set<String> pulledCore = new TreeSet<>();
        List<String> missing = new ArrayList<>();
        for (KubeadmImages.Pulled p : pulled) {
            if (p.component().equals("pause")) {
                // with a CRI runtime the pod sandbox is the runtime's pause (the manifest's); kubeadm's
                // own tag is only pre-pulled (ImagePull ignored). With dockershim it is the sandbox.
                boolean dockershim = s.containerRuntime() == ContainerRuntime.DOCKER
                        && KubeVersion.parse(c.kubernetes().version()).below(24);
                if (dockershim) {
                    assertThat(inArtifact).as(context).contains(p.reference());
                }
                continue;
            }
            pulledCore.add(p.reference());
            if (!inArtifact.contains(p.reference())) {
                missing.add(p.reference());
            }
        }
        assertThat(missing)
                .as(context + ": pulled by kubeadm, not in the manifest")
                .isEmpty();
        assertThat(pulledCore).as(context).isEqualTo(kubeadmPart);
    }
}
