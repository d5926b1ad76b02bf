package io.kk.cluster.network;

import io.kk.plan.Action;
import io.kk.plan.HostSelector;
import io.kk.plan.Module;
import io.kk.plan.Task;
import java.nio.file.Path;
import java.util.List;

/**
 * The configure phase's network module: the CNI steps of {@link CniManifests} on the first control
 * plane (where {@code /etc/kubernetes/admin.conf} is), as KubeKey's {@code
 * DeployNetworkPluginModule} runs them.
 */
public final class NetworkPlan {
    private NetworkPlan() {}

    /**
     * @param firstControlPlane the host name of the first control plane
     * @param artifactDir the imported artifact (for cilium's chart)
     */
    public static Module module(NetworkSettings s, String firstControlPlane, Path artifactDir) {
        List<Action> actions = CniManifests.steps(s, artifactDir).stream()
                .map(KubeStep::action)
                .toList();
        return new Module(
                "network plugin " + s.plugin() + (s.multus() ? " + multus" : ""),
                actions.isEmpty()
                        ? List.of()
                        : List.of(Task.serial(
                                "deploy", HostSelector.named(firstControlPlane), actions.toArray(Action[]::new))));
    }
}
