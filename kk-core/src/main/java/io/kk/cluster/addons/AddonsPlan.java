package io.kk.cluster.addons;

import io.kk.cluster.network.KubeStep;
import io.kk.config.ClusterConfig;
import io.kk.config.EtcdConfig;
import io.kk.config.Host;
import io.kk.image.RegistryTarget;
import io.kk.plan.Action;
import io.kk.plan.HostSelector;
import io.kk.plan.Module;
import io.kk.plan.Task;
import java.nio.file.Path;
import java.util.List;

/**
 * The addons and kubesphere phases as plan modules: their {@link KubeStep}s, one after the other,
 * on the first control plane (where kubectl, helm and {@code /etc/kubernetes/admin.conf} are).
 */
public final class AddonsPlan {
    private AddonsPlan() {}

    /** The config's addons, in order; an empty module when there are none. */
    public static Module addons(ClusterConfig c, String firstControlPlane, Path configDir, Path artifactDir) {
        return module(
                "addons "
                        + String.join(
                                ", ", c.addons().stream().map(a -> a.name()).toList()),
                firstControlPlane,
                AddonSteps.steps(c.addons(), configDir, artifactDir));
    }

    public static Module kubesphere(KubeSphereFiles.Settings s, String firstControlPlane) {
        return module("kubesphere " + s.version() + " (ks-installer)", firstControlPlane, KubeSphereFiles.steps(s));
    }

    /**
     * KubeSphere's settings from the config ({@code kubesphere} filled from its ClusterConfiguration
     * document or {@code --with-kubesphere}); {@code target} names the installer image as pushed.
     */
    public static KubeSphereFiles.Settings kubesphereSettings(ClusterConfig c, RegistryTarget target) {
        String first = c.firstControlPlane().map(Host::name).orElse("");
        EtcdConfig e = c.etcd();
        KubeSphereFiles.EtcdAccess etcd =
                switch (e.type()) {
                    case KUBEKEY -> KubeSphereFiles.EtcdAccess.kubekey(
                            c.etcdHosts().stream().map(Host::internalIPv4).toList(), first);
                    case KUBEADM -> KubeSphereFiles.EtcdAccess.kubeadm(c.controlPlaneHosts().stream()
                            .map(Host::internalIPv4)
                            .toList());
                    case EXTERNAL -> KubeSphereFiles.EtcdAccess.external(
                            e.external().endpoints(),
                            e.external().caFile(),
                            e.external().certFile(),
                            e.external().keyFile());
                };
        return new KubeSphereFiles.Settings(
                c.kubesphere().version(),
                c.kubesphere().configurations(),
                etcd,
                c.registry().privateRegistry(),
                c.registry().namespaceOverride(),
                c.kubernetes().containerManager(),
                target);
    }

    private static Module module(String name, String host, List<KubeStep> steps) {
        if (steps.isEmpty()) {
            return new Module(name, List.of());
        }
        return new Module(
                name,
                List.of(Task.serial(
                        name,
                        HostSelector.named(host),
                        steps.stream().map(KubeStep::action).toArray(Action[]::new))));
    }
}
