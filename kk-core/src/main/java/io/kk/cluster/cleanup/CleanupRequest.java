package io.kk.cluster.cleanup;

import java.util.List;
import java.util.Objects;

/**
 * What {@code kk delete cluster} removes, taken from the Cluster config by the caller.
 *
 * @param registryHost the host kk runs the registry on ({@code roleGroups.registry}), or empty
 * @param all {@code --all}: the registry host is cleaned too (its registry, data and kk's files)
 * @param deleteData the data dirs go too (confirmed by the user or {@code --yes})
 * @param dataDirs the data dirs on cluster hosts (etcd data and backups, runtime, kubelet, CNI)
 * @param registryDataDir the registry's storage on the registry host
 * @param backupScriptDir where the etcd backup script lives ({@code etcd.backupScript})
 */
public record CleanupRequest(
        String registryHost,
        boolean all,
        boolean deleteData,
        List<String> dataDirs,
        String registryDataDir,
        String backupScriptDir) {
    public CleanupRequest {
        Objects.requireNonNull(registryHost, "registryHost");
        dataDirs = List.copyOf(dataDirs);
        Objects.requireNonNull(registryDataDir, "registryDataDir");
        Objects.requireNonNull(backupScriptDir, "backupScriptDir");
    }
}
