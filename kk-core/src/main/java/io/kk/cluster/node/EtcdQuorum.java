package io.kk.cluster.node;

import io.kk.error.KkException;
import java.util.List;
import java.util.Set;

/**
 * Whether an etcd member may be removed without the cluster losing quorum. {@code member remove}
 * commits through the current cluster (a majority of all members must be healthy), and the members
 * left must still hold a majority of their own count.
 */
public final class EtcdQuorum {
    private EtcdQuorum() {}

    public static int quorum(int members) {
        return members / 2 + 1;
    }

    /**
     * @param members the member host names
     * @param removed the host whose member goes
     * @param healthy the member hosts that answered healthy
     * @throws KkException (ENVIRONMENT) when the removal would break quorum, with a hint
     */
    public static void checkRemoval(List<String> members, String removed, Set<String> healthy) {
        if (!members.contains(removed)) {
            return;
        }
        if (members.size() == 1) {
            throw KkException.invalidInput(
                    removed + " is the last etcd member: removing it would delete the cluster's data",
                    "add another etcd member first (kk add nodes), or delete the whole cluster (kk delete cluster)");
        }
        List<String> left = members.stream().filter(m -> !m.equals(removed)).toList();
        List<String> leftHealthy = left.stream().filter(healthy::contains).toList();
        List<String> unhealthy =
                members.stream().filter(m -> !healthy.contains(m)).toList();
        long healthyNow = members.stream().filter(healthy::contains).count();
        if (leftHealthy.size() < quorum(left.size()) || healthyNow < quorum(members.size())) {
            throw KkException.environment(
                    "removing etcd member " + removed + " would break quorum: " + left.size() + " member(s) would be"
                            + " left, " + leftHealthy.size() + " of them healthy, and a quorum needs "
                            + quorum(left.size()) + " (now " + healthyNow + " of " + members.size()
                            + " healthy, the removal itself needs " + quorum(members.size()) + ")",
                    "bring the unhealthy member(s) " + unhealthy + " back first (systemctl status etcd on them),"
                            + " then run kk delete node again");
        }
    }
}
