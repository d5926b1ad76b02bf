package io.kk.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.kk.image.layout.OciLayout;
import io.kk.testkit.registry.TestImages;
import io.kk.testkit.testbed.Testbed;
import io.kk.testkit.testbed.TestbedNode;
import io.kk.testkit.testbed.TestbedNodes;
import io.kk.testkit.upstream.TestUpstream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The docker runtime path on a real dockerd: Debian's docker.io 20.10 (its binaries packed as a
 * docker release tarball with Debian's containerd and runc) installed by {@code kk init runtime}
 * with {@code containerManager: docker}; dockerd then pulls the image kk pushed, by its private
 * name (kk's CA in /etc/docker/certs.d) and as a docker.io name through the registry mirror of
 * kk's daemon.json, and runs it. /var/lib/docker is a plain directory (overlay2 cannot stack on
 * the node's overlay root).
 */
@TestbedNodes(count = 2, scratch = "/var/lib/docker")
class DockerRuntimeIT {
    static final String DOCKER = "20.10.24";
    static final String IMAGE = "dockerhub.kubekey.local/kubesphereio/busybox:1.35";

    @TempDir
    static Path dir;

    static Path artifactDir;
    static Path workDir;
    static Path knownHosts;

    @BeforeAll
    static void artifact() throws Exception {
        artifactDir = dir.resolve("artifact");
        workDir = dir.resolve("work");
        knownHosts = dir.resolve("known_hosts");
        TestArtifacts.placeReleaseFiles(
                dir.resolve("upstream"),
                artifactDir,
                Map.of(
                        "cni-plugins-linux-amd64-" + TestUpstream.CNI + ".tgz",
                        "cni/" + TestUpstream.CNI,
                        TestUpstream.registryFile(),
                        "registry/registry/" + TestUpstream.REGISTRY));
        Path tgz = artifactDir.resolve("docker/" + DOCKER + "/amd64/docker-" + DOCKER + ".tgz");
        Files.createDirectories(tgz.getParent());
        dockerTarball(tgz);
        TestImages.busybox(OciLayout.create(artifactDir.resolve("images")), "docker.io/library/busybox:1.35");
    }

    @Test
    void dockerdConfiguredByKkPullsFromThePrivateRegistryAndThroughTheMirror(Testbed testbed) throws Exception {
        Path config = config(testbed);
        for (String phase : List.of("registry", "images", "runtime")) {
            List<String> args = new ArrayList<>(List.of(
                    "init", phase, "-f", config.toString(), "-a", artifactDir.toString(), "--dir", workDir.toString()));
            if (!phase.equals("images")) {
                args.addAll(List.of("--known-hosts", knownHosts.toString()));
            }
            KkRun r = KkRun.of(args.toArray(String[]::new));
            assertThat(r.exit()).as(phase + "\n" + r.err()).isZero();
        }
        TestbedNode node = testbed.node(2);
        assertThat(testbed.exec(node, "systemctl", "is-active", "docker").strip())
                .isEqualTo("active");
        com.fasterxml.jackson.databind.JsonNode daemon = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(testbed.exec(node, "cat", "/etc/docker/daemon.json"));
        assertThat(daemon.get("registry-mirrors").toString()).isEqualTo("[\"https://dockerhub.kubekey.local\"]");
        assertThat(daemon.get("insecure-registries").toString()).isEqualTo("[\"plain.registry.local:5000\"]");
        assertThat(testbed.exec(node, "cat", "/etc/docker/certs.d/dockerhub.kubekey.local/ca.crt"))
                .isEqualTo(Files.readString(workDir.resolve("pki/registry/ca.pem")));

        // by the private name: TLS with kk's CA from certs.d
        testbed.exec(node, "docker", "pull", IMAGE);
        assertThat(testbed.exec(node, "docker", "run", "--rm", IMAGE, "/bin/echo", "hello from dockerd")
                        .strip())
                .isEqualTo("hello from dockerd");
        // a docker.io name: only the mirror has it (no internet here)
        testbed.exec(node, "docker", "pull", "kubesphereio/busybox:1.35");
        assertThat(testbed.exec(node, "docker", "run", "--rm", "kubesphereio/busybox:1.35", "/bin/echo", "mirrored")
                        .strip())
                .isEqualTo("mirrored");
    }

    /**
     * A docker release tarball ({@code docker/dockerd}, ...) from Debian's docker.io package
     * (see {@link DebianDocker}) and this machine's containerd and runc.
     */
    private static void dockerTarball(Path tgz) throws Exception {
        Path unpacked = DebianDocker.unpack(dir.resolve("docker.io"));
        Path stage = Files.createDirectories(dir.resolve("docker-stage/docker"));
        for (String f : List.of(
                unpacked + "/usr/sbin/dockerd",
                unpacked + "/usr/bin/docker",
                unpacked + "/usr/sbin/docker-proxy",
                "/usr/bin/containerd",
                "/usr/bin/containerd-shim-runc-v2",
                "/usr/bin/ctr",
                "/usr/sbin/runc")) {
            Path p = Path.of(f);
            Files.copy(p, stage.resolve(p.getFileName()));
        }
        run(dir, "tar", "-C", stage.getParent().toString(), "-czf", tgz.toString(), "docker");
    }

    private static void run(Path cwd, String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd)
                .directory(cwd.toFile())
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", cmd) + "\n" + out).isZero();
    }

    private static Path config(Testbed testbed) throws Exception {
        Path file = dir.resolve("config.yaml");
        Files.writeString(
                file,
                """
                apiVersion: kubekey.kubesphere.io/v1alpha2
                kind: Cluster
                metadata: {name: docker}
                spec:
                  hosts:
                %s  roleGroups:
                    registry: [node1]
                    etcd: [node2]
                    control-plane: [node2]
                  kubernetes: {version: v1.23.10, proxyMode: iptables, containerManager: docker}
                  registry:
                    namespaceOverride: kubesphereio
                    registryMirrors: ["https://dockerhub.kubekey.local"]
                    insecureRegistries: ["plain.registry.local:5000"]
                """
                        .formatted(KkRun.hostsYaml(testbed)));
        return file;
    }
}
