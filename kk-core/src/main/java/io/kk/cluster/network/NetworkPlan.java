package io.kk.cluster.network;

import io.kk.plan.Action;
import io.kk.plan.HostSelector;
import io.kk.plan.Module;
import io.kk.plan.Role;
import io.kk.plan.Task;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The configure phase's network module: the CNI steps of {@link CniManifests} on the first control
 * plane (where {@code /etc/kubernetes/admin.conf} is), as KubeKey's {@code
 * DeployNetworkPluginModule} runs them; then kube-ovn's {@code kubectl-ko} on every control plane.
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
        List<Action> everyControlPlane = CniManifests.everyControlPlaneSteps(s).stream()
                .map(KubeStep::action)
                .toList();
        List<Task> tasks = new ArrayList<>();
        if (!actions.isEmpty()) {
            tasks.add(Task.serial("deploy", HostSelector.named(firstControlPlane), actions.toArray(Action[]::new)));
        }
        if (!everyControlPlane.isEmpty()) {
            tasks.add(Task.parallel("plugin tools", HostSelector.role(Role.CONTROL_PLANE), everyControlPlane));
        }
        return new Module("network plugin " + s.plugin() + (s.multus() ? " + multus" : ""), tasks);
    }
}
