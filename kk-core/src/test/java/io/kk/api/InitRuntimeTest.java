package io.kk.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kk.config.ClusterConfig;
import io.kk.error.KkException;
import io.kk.plan.Module;
import io.kk.plan.RunOptions;
import io.kk.plan.Task;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runtime phase's plan: each host its own arch's binaries; CRI-O/iSulad checked, not installed. */
class InitRuntimeTest {
    @TempDir
    Path dir;

    private ClusterConfig config(String manager) throws Exception {
        Path file = dir.resolve("c.yaml");
        Files.writeString(
                file,
                """
                apiVersion: kubekey.kubesphere.io/v1alpha2
                kind: Cluster
                metadata: {name: t}
                spec:
                  hosts:
                  - {name: m1, address: 10.0.0.11, user: root, password: x}
                  - {name: w1, address: 10.0.0.21, user: root, password: x, arch: arm64}
                  roleGroups: {etcd: [m1], control-plane: [m1], worker: [w1]}
                  kubernetes: {version: v1.28.2, containerManager: %s}
                """
                        .formatted(manager));
        return Configs.load(file).orThrow();
    }

    /** A gzip tarball whose entries hold their own name plus the arch (so the two arches differ). */
    private static void tarball(Path tgz, String arch, String... entries) throws Exception {
        Files.createDirectories(tgz.getParent());
        try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(tgz));
                TarArchiveOutputStream tar = new TarArchiveOutputStream(o)) {
            for (String e : entries) {
                byte[] b = (e + " " + arch + "\n").getBytes(StandardCharsets.UTF_8);
                TarArchiveEntry te = new TarArchiveEntry(e);
                te.setSize(b.length);
                te.setMode(0755);
                tar.putArchiveEntry(te);
                tar.write(b);
                tar.closeArchiveEntry();
            }
        }
    }

    private Path artifact() throws Exception {
        Path a = dir.resolve("artifact");
        for (String arch : List.of("amd64", "arm64")) {
            tarball(
                    a.resolve("containerd/1.7.13/" + arch + "/containerd-1.7.13-linux-" + arch + ".tar.gz"),
                    arch,
                    "bin/containerd",
                    "bin/ctr");
            Path runc = a.resolve("runc/v1.1.12/" + arch + "/runc." + arch);
            Files.createDirectories(runc.getParent());
            Files.writeString(runc, "runc " + arch);
            tarball(
                    a.resolve("cni/v1.2.0/" + arch + "/cni-plugins-linux-" + arch + "-v1.2.0.tgz"),
                    arch,
                    "./bridge",
                    "./loopback");
        }
        return a;
    }

    private InitRuntime.Request request(String manager) throws Exception {
        return new InitRuntime.Request(
                config(manager),
                artifact(),
                new HostRunOptions(dir.resolve("kh"), false, dir, RunOptions.defaults(), true));
    }

    @Test
    void aMixedArchClusterGetsEachHostItsOwnArchsBinaries() throws Exception {
        InitRuntime.Request r = request("containerd");
        Module m = InitRuntime.module(r);
        assertThat(m.tasks())
                .extracting(Task::name)
                .containsSubsequence("containerd binaries (amd64)", "containerd binaries (arm64)", "containerd config");
        String plan = InitRuntime.preview(r).render();
        String m1 = plan.substring(plan.indexOf("[m1]"), plan.indexOf("[w1]"));
        String w1 = plan.substring(plan.indexOf("[w1]"));
        assertThat(m1).contains("containerd-1.7.13-linux-amd64.tar.gz").doesNotContain("arm64.tar.gz");
        assertThat(w1)
                .contains("containerd-1.7.13-linux-arm64.tar.gz")
                .contains("runc.arm64")
                .doesNotContain("amd64");
    }

    @Test
    void crioIsCheckedNotInstalledAndGetsOnlyCniAndCrictl() throws Exception {
        InitRuntime.Request r = request("crio");
        String plan = InitRuntime.preview(r).render();
        assertThat(plan)
                .contains("systemctl is-active -q crio && test -S /var/run/crio/crio.sock")
                .contains("cni-plugins-linux-amd64-v1.2.0.tgz")
                .doesNotContain("containerd-1.7.13")
                .doesNotContain("runc.")
                .doesNotContain("config.toml");
    }

    @Test
    void theDownloadListHasNoContainerdForCrio() throws Exception {
        List<String> components = ClusterBinaries.k8sComponents(config("crio"));
        assertThat(components).contains("kubecni", "crictl").doesNotContain("containerd", "runc", "docker");
        assertThat(ClusterBinaries.k8sComponents(config("containerd"))).contains("containerd", "runc");
    }

    @Test
    void aMissingArchInTheArtifactIsNamed() throws Exception {
        InitRuntime.Request r = request("containerd");
        // only amd64's containerd: the arm64 worker cannot be served
        Path arm = r.artifactDir().resolve("containerd/1.7.13/arm64");
        try (var files = Files.walk(arm)) {
            files.sorted(java.util.Comparator.reverseOrder())
                    .forEach(f -> f.toFile().delete());
        }
        assertThatThrownBy(() -> InitRuntime.module(r))
                .isInstanceOf(KkException.class)
                .hasMessageContaining("arm64");
    }
}
