package io.kk.cluster.configure;

import io.kk.cluster.dns.DnsManifests;
import io.kk.cluster.dns.DnsSettings;
import io.kk.cluster.network.KubeStep;
import io.kk.cluster.storage.LocalStorage;
import io.kk.config.ClusterConfig;
import io.kk.image.RegistryTarget;
import io.kk.plan.Action;
import io.kk.plan.HostSelector;
import io.kk.plan.Module;
import io.kk.plan.Task;
import java.util.ArrayList;
import java.util.List;

/**
 * What the configure phase applies after the CNI, on the first control plane, in order: CoreDNS
 * (KubeKey's Corefile and Service), nodelocaldns, the hosts' labels, OpenEBS local PV. Each is a
 * {@link KubeStep}: a rerun with nothing changed finds its stamp and does nothing.
 *
 * <p>KubeKey's post-install steps around these, and where kk has them: AutoRenewCerts is kk's
 * certs-renew phase; addons and KubeSphere are their own phases. KubeKey's SaveKubeConfig (v2 and
 * v3 create cluster, {@code SaveKubeConfigModule}) stores the admin kubeconfig, base64, as the
 * ConfigMap {@code <cluster>-kubeconfig} in namespace {@code kubekey-system}, for its operator and
 * console. kk does not: that kubeconfig holds cluster-admin's client key, and a ConfigMap is
 * readable by anyone allowed to read ConfigMaps there (no Secret-level access control, not
 * encrypted at rest). kk writes the kubeconfig to the work dir (mode 0600) and to root's {@code
 * ~/.kube/config} on the first control plane instead.
 */
public final class ClusterSettingsPlan {
    private ClusterSettingsPlan() {}

    /** The steps in order. */
    public static List<KubeStep> steps(ClusterConfig c, RegistryTarget target) {
        List<KubeStep> out = new ArrayList<>(DnsManifests.steps(DnsSettings.of(c, target)));
        out.addAll(NodeLabels.steps(c));
        if (LocalStorage.enabled(c)) {
            out.addAll(LocalStorage.of(c, target).steps());
        }
        return out;
    }

    /**
     * The configure phase's module: {@code network}'s tasks (the CNI), then a task with these
     * steps; named after both.
     */
    public static Module afterNetwork(
            Module network, ClusterConfig c, RegistryTarget target, String firstControlPlane) {
        List<KubeStep> steps = steps(c, target);
        List<Task> tasks = new ArrayList<>(network == null ? List.of() : network.tasks());
        tasks.add(Task.serial(
                "cluster settings",
                HostSelector.named(firstControlPlane),
                steps.stream().map(KubeStep::action).toArray(Action[]::new)));
        String names = String.join(", ", steps.stream().map(KubeStep::name).toList());
        String name = network == null || network.tasks().isEmpty() ? names : network.name() + "; " + names;
        return new Module(name, tasks);
    }
}
