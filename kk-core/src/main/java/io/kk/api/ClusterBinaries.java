package io.kk.api;

import io.kk.catalog.Catalog;
import io.kk.catalog.ComponentFile;
import io.kk.catalog.Versions;
import io.kk.cluster.ClusterHosts;
import io.kk.config.ClusterConfig;
import io.kk.config.EtcdConfig;
import io.kk.download.DownloadSource;
import io.kk.error.KkException;
import io.kk.plan.Inventory;
import io.kk.plan.Role;
import io.kk.plan.Target;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Every binary create cluster's phases install, per arch of the hosts that need it, as KubeKey's
 * {@code binary} phase lists them: kubeadm, kubelet, kubectl, helm, the CNI plugins, crictl and
 * the runtime (containerd + runc, or docker) on the Kubernetes nodes; etcd on the etcd hosts (type
 * kubekey); the registry on the registry host (type registry). Kubernetes binaries have the
 * config's version; the others the version the directory holds, else the catalog's default. Each
 * path is KubeKey's artifact path inside the directory (the imported artifact or the work dir).
 */
final class ClusterBinaries {
    private ClusterBinaries() {}

    /** The components on the Kubernetes nodes, in the order they are listed. */
    static List<String> k8sComponents(ClusterConfig c) {
        List<String> out = new ArrayList<>(List.of("kubeadm", "kubelet", "kubectl", "helm", "kubecni", "crictl"));
        if ("docker".equalsIgnoreCase(c.kubernetes().containerManager())) {
            out.add("docker");
        } else if ("containerd".equalsIgnoreCase(c.kubernetes().containerManager())) {
            out.add("containerd");
            out.add("runc");
        }
        // crio / isula: the operator's own runtime (KubeKey installs neither)
        return out;
    }

    static List<CreateCluster.Binary> all(ClusterConfig c, Path dir, boolean fromArtifact, DownloadSource download) {
        Inventory inv = ClusterHosts.inventory(c);
        List<CreateCluster.Binary> out = new ArrayList<>();
        for (String component : k8sComponents(c)) {
            for (String arch : arches(inv.select(Target::isK8s))) {
                out.add(binary(component, version(c, component, dir, arch), arch, dir, fromArtifact, download));
            }
        }
        out.addAll(etcd(c, inv, dir, fromArtifact, download));
        boolean registry = c.registryHost().isPresent()
                && !"harbor".equalsIgnoreCase(c.registry().type());
        if (registry) {
            for (String arch : arches(inv.select(t -> t.has(Role.REGISTRY)))) {
                out.add(binary("registry", version(c, "registry", dir, arch), arch, dir, fromArtifact, download));
            }
        }
        return out;
    }

    /** The etcd tarball per arch of the etcd hosts (type kubekey only). */
    static List<CreateCluster.Binary> etcd(
            ClusterConfig c, Inventory inv, Path dir, boolean fromArtifact, DownloadSource download) {
        if (c.etcd().type() != EtcdConfig.Type.KUBEKEY) {
            return List.of();
        }
        List<CreateCluster.Binary> out = new ArrayList<>();
        for (String arch : arches(inv.select(t -> t.has(Role.ETCD)))) {
            out.add(binary("etcd", version(c, "etcd", dir, arch), arch, dir, fromArtifact, download));
        }
        return out;
    }

    static CreateCluster.Binary binary(
            String component, String version, String arch, Path dir, boolean fromArtifact, DownloadSource download) {
        ComponentFile file = Catalog.builtin().resolve(component, version, arch, download);
        Path path = dir.resolve(file.artifactPath());
        boolean present = Files.isRegularFile(path);
        String from = present
                ? (fromArtifact ? "artifact" : "work dir")
                : fromArtifact ? "missing from the artifact" : file.url().toString();
        return new CreateCluster.Binary(component, version, arch, path, present, from);
    }

    private static String version(ClusterConfig c, String component, Path dir, String arch) {
        if (component.startsWith("kube") && !component.equals("kubecni")) {
            return c.kubernetes().version();
        }
        return versionIn(component, dir, arch).orElseGet(() -> Catalog.builtin()
                .defaultVersion(component)
                .orElseThrow(() -> KkException.internal("the catalog has no " + component + " version", null)));
    }

    /** The newest version of the component the directory holds a file of for the arch. */
    static Optional<String> versionIn(String component, Path dir, String arch) {
        // <type>[/<name>]/<version>/<arch>/<file>: list the version dirs next to a probe's.
        String probe = Catalog.builtin()
                .resolve(component, "v0.0.0", arch, DownloadSource.UPSTREAM)
                .artifactPath();
        Path versions = dir.resolve(probe.substring(0, probe.indexOf("/v0.0.0/")));
        if (!Files.isDirectory(versions)) {
            return Optional.empty();
        }
        try (Stream<Path> s = Files.list(versions)) {
            return s.map(v -> v.getFileName().toString())
                    .filter(v -> Files.isRegularFile(dir.resolve(Catalog.builtin()
                            .resolve(component, v, arch, DownloadSource.UPSTREAM)
                            .artifactPath())))
                    .max(Versions.SEMVER);
        } catch (IOException | KkException e) {
            return Optional.empty();
        }
    }

    static Set<String> arches(List<Target> hosts) {
        Set<String> out = new LinkedHashSet<>();
        hosts.forEach(t -> out.add(t.arch()));
        return out;
    }
}
