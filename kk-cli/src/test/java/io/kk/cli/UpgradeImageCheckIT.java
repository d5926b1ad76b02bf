package io.kk.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.kk.testkit.registry.RegistryServer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kk upgrade}'s image preflight against a real registry (Debian's docker-registry): an empty
 * private registry lacks the target's images, so the run is refused (exit 3) naming each one, before
 * any host is contacted (the hosts are on TEST-NET-1, where nothing answers).
 */
class UpgradeImageCheckIT {
    @TempDir
    Path dir;

    @Test
    void anEmptyRegistryRefusesTheUpgradeNamingEveryMissingImage() throws Exception {
        try (RegistryServer registry = RegistryServer.plain()) {
            String host = registry.host();
            Path config = dir.resolve("cluster.yaml");
            Files.writeString(
                    config,
                    """
                    apiVersion: kubekey.kubesphere.io/v1alpha2
                    kind: Cluster
                    metadata: {name: up}
                    spec:
                      hosts:
                      - {name: node1, address: 192.0.2.11, user: root, password: "s3cret-pw"}
                      - {name: node2, address: 192.0.2.12, user: root, password: "s3cret-pw"}
                      roleGroups:
                        etcd: [node1]
                        control-plane: [node1]
                        worker: [node2]
                      kubernetes: {version: v1.27.4, proxyMode: iptables, containerManager: containerd}
                      registry:
                        privateRegistry: %s
                        namespaceOverride: kubesphereio
                        auths:
                          "%s": {plainHTTP: true}
                    """
                            .formatted(host, host));
            Path artifact = dir.resolve("artifact");
            for (String b : new String[] {"kubeadm", "kubelet", "kubectl"}) {
                Path p = artifact.resolve("kube/v1.28.2/amd64/" + b);
                Files.createDirectories(p.getParent());
                Files.writeString(p, b);
            }
            KkRun r = KkRun.of(
                    "upgrade",
                    "-f",
                    config.toString(),
                    "-a",
                    artifact.toString(),
                    "--dir",
                    dir.resolve("kubekey").toString(),
                    "--with-kubernetes",
                    "v1.28.2",
                    "--yes",
                    "--known-hosts",
                    dir.resolve("known_hosts").toString());
            assertThat(r.exit()).as(r.err()).isEqualTo(3);
            assertThat(r.err())
                    .contains("the private registry lacks images of v1.28.2")
                    .contains(host + "/kubesphereio/kube-apiserver:v1.28.2")
                    .contains(host + "/kubesphereio/kube-controller-manager:v1.28.2")
                    .contains(host + "/kubesphereio/kube-scheduler:v1.28.2")
                    .contains(host + "/kubesphereio/kube-proxy:v1.28.2")
                    .contains(host + "/kubesphereio/pause:3.9")
                    .contains(host + "/kubesphereio/coredns:");
            assertThat(dir.resolve("known_hosts")).doesNotExist();
        }
    }
}
