package io.kk.cluster.migrate;

import io.kk.cluster.kubernetes.KubeVersion;
import io.kk.cluster.runtime.RuntimeRequest;
import io.kk.plan.HostSelector;
import io.kk.plan.Inventory;
import io.kk.plan.Role;
import io.kk.plan.Target;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;

/**
 * What {@code kk alpha cri migrate} works with.
 *
 * @param inventory every host of the config
 * @param role which nodes: master (control planes), worker, or all Kubernetes nodes
 * @param version the cluster's Kubernetes version (kubelet's flags depend on it)
 * @param containerd the runtime phase's request for one node: containerd from the artifact, with
 *     the config's registries
 * @param caCopies registry CAs kk placed for docker, copied to where containerd's config reads them
 * @param drainTimeout how long a drain may take
 * @param readyTimeout how long a node may take to be Ready again
 */
public record CriMigrateRequest(
        Inventory inventory,
        NodeRole role,
        KubeVersion version,
        Function<HostSelector, RuntimeRequest> containerd,
        List<CaCopy> caCopies,
        Duration drainTimeout,
        Duration readyTimeout) {

    /** A CA file on the node, from docker's certs.d to containerd's. */
    public record CaCopy(String from, String to) {}

    /** KubeKey's {@code --role}. */
    public enum NodeRole {
        MASTER,
        WORKER,
        ALL;

        public static NodeRole parse(String s) {
            return switch (s.strip().toLowerCase(Locale.ROOT)) {
                case "master", "control-plane" -> MASTER;
                case "worker" -> WORKER;
                case "all" -> ALL;
                default -> throw io.kk.error.KkException.invalidInput(
                        "unknown --role '" + s + "'", "give master, worker or all");
            };
        }
    }

    public CriMigrateRequest {
        Objects.requireNonNull(inventory, "inventory");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(containerd, "containerd");
        caCopies = List.copyOf(caCopies);
    }

    /**
     * The nodes in the order they are migrated: control planes first, then workers, in config order
     * (KubeKey: --role master takes control planes, worker the workers that are not control planes).
     */
    public List<Target> nodes() {
        List<Target> cps = inventory.select(t -> t.has(Role.CONTROL_PLANE));
        List<Target> workers = inventory.select(t -> t.has(Role.WORKER) && !t.has(Role.CONTROL_PLANE));
        return switch (role) {
            case MASTER -> cps;
            case WORKER -> workers;
            case ALL -> java.util.stream.Stream.concat(cps.stream(), workers.stream())
                    .toList();
        };
    }

    /** The control plane kubectl runs on: the first one. */
    public Target kubectlHost() {
        return inventory.select(t -> t.has(Role.CONTROL_PLANE)).get(0);
    }
}
