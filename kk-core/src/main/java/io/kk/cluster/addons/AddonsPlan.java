package io.kk.cluster.addons;

import io.kk.cluster.network.KubeStep;
import io.kk.config.Addon;
import io.kk.config.ClusterConfig;
import io.kk.config.EtcdConfig;
import io.kk.config.Host;
import io.kk.image.RegistryTarget;
import io.kk.plan.Action;
import io.kk.plan.HostSelector;
import io.kk.plan.Module;
import io.kk.plan.Task;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The addons and kubesphere phases as plan modules: their {@link KubeStep}s, one after the other,
 * on the first control plane (where kubectl, helm and {@code /etc/kubernetes/admin.conf} are).
 */
public final class AddonsPlan {
    private AddonsPlan() {}

    /**
     * The config's addons, in order; an empty module when there are none. An addon with scripts is
     * checked for completeness on the first control plane, then its preInstall scripts run on their
     * hosts, the addon itself on the first control plane, its postInstall scripts, and its mark.
     */
    public static Module addons(ClusterConfig c, String firstControlPlane, Path configDir, Path artifactDir) {
        String name = "addons "
                + String.join(", ", c.addons().stream().map(Addon::name).toList());
        HostSelector first = HostSelector.named(firstControlPlane);
        List<Task> tasks = new ArrayList<>();
        List<Action> plain = new ArrayList<>();
        boolean serverSide = AddonSteps.serverSideApply(c.kubernetes());
        for (Addon a : c.addons()) {
            List<KubeStep> steps = AddonSteps.steps(a, configDir, artifactDir, serverSide);
            if (a.preInstall().isEmpty() && a.postInstall().isEmpty()) {
                steps.forEach(s -> plain.add(s.action()));
                continue;
            }
            if (!plain.isEmpty()) {
                tasks.add(Task.serial(name, first, plain.toArray(Action[]::new)));
                plain.clear();
            }
            AddonScripts.State state = new AddonScripts.State();
            String fingerprint = AddonScripts.fingerprint(a, steps, configDir);
            tasks.add(Task.serial("addon " + a.name() + " state", first, AddonScripts.check(a, fingerprint, state)));
            scriptTasks(tasks, a, "preInstall", a.preInstall(), configDir, state);
            tasks.add(Task.serial(
                    "addon " + a.name(),
                    first,
                    steps.stream().map(KubeStep::action).toArray(Action[]::new)));
            scriptTasks(tasks, a, "postInstall", a.postInstall(), configDir, state);
            tasks.add(Task.serial("addon " + a.name() + " mark", first, AddonScripts.mark(a, fingerprint, state)));
        }
        if (!plain.isEmpty()) {
            tasks.add(Task.serial(name, first, plain.toArray(Action[]::new)));
        }
        return new Module(name, tasks);
    }

    private static void scriptTasks(
            List<Task> tasks,
            Addon a,
            String phase,
            List<io.kk.config.CustomScript> scripts,
            Path configDir,
            AddonScripts.State state) {
        for (int i = 0; i < scripts.size(); i++) {
            io.kk.config.CustomScript sc = scripts.get(i);
            tasks.add(Task.parallel(
                    "addon " + a.name() + " " + phase + " " + sc.name(),
                    AddonScripts.hosts(a, sc),
                    AddonScripts.script(a, phase, i, sc, AddonScripts.materials(a, sc, configDir), state)));
        }
    }

    public static Module kubesphere(KubeSphereFiles.Settings s, String firstControlPlane) {
        return kubesphere(s, firstControlPlane, KubeSphereWait.Timing.defaults());
    }

    /** The installer's steps, then the wait for it to report KubeSphere running. */
    public static Module kubesphere(KubeSphereFiles.Settings s, String firstControlPlane, KubeSphereWait.Timing wait) {
        String name = "kubesphere " + s.version() + " (ks-installer)";
        List<Action> actions = new ArrayList<>();
        KubeSphereFiles.steps(s).forEach(st -> actions.add(st.action()));
        actions.add(KubeSphereWait.action(wait));
        return new Module(name, List.of(new Task(name, HostSelector.named(firstControlPlane), actions, true)));
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
}
