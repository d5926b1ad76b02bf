package io.kk.cluster.runtime;

import io.kk.cluster.install.FileInstall;
import io.kk.cluster.kubernetes.ContainerRuntime;
import io.kk.error.KkException;
import io.kk.plan.Action;
import io.kk.plan.ActionResult;
import io.kk.plan.Actions;
import io.kk.plan.HostSelector;
import io.kk.plan.HostValues;
import io.kk.plan.Module;
import io.kk.plan.Pipeline;
import io.kk.plan.Shell;
import io.kk.plan.Target;
import io.kk.plan.Task;
import java.util.ArrayList;
import java.util.List;

/**
 * The container runtime phase: containerd (or docker) from the artifact's binaries, its config
 * from {@link ContainerdFiles}/{@link DockerFiles}, its unit, crictl's config, enabled and running.
 * Each file and binary is compared first; the runtime is restarted only when one of them changed,
 * so a host whose runtime is already as kk would make it is left alone.
 */
public final class RuntimePlan {
    /** Restarts only a running runtime (a first install has no unit yet). */
    static final String CONTAINERD_RESTART =
            "if systemctl is-active -q containerd; then systemctl restart containerd; fi";

    static final String DOCKER_RESTART = "if systemctl is-active -q docker; then systemctl restart docker; fi";

    private RuntimePlan() {}

    public static Pipeline pipeline(RuntimeRequest r) {
        return Pipeline.of("container runtime", module(r));
    }

    public static Module module(RuntimeRequest r) {
        if (r.preinstalled()) {
            return preinstalled(r);
        }
        return r.docker() ? docker(r) : containerd(r);
    }

    /** The binaries, one task per host arch ("containerd binaries (arm64)" when arches differ). */
    private static List<Task> binaryTasks(String name, RuntimeRequest r, String restart) {
        List<Task> out = new ArrayList<>();
        boolean several = r.binaries().size() > 1;
        r.binaries().forEach((arch, plans) -> {
            List<Action> actions = new ArrayList<>();
            for (FileInstall.Plan p : plans) {
                actions.add(FileInstall.action(p.source().getFileName().toString(), p, restart));
            }
            HostSelector where = arch.equals(RuntimeRequest.ANY_ARCH)
                    ? r.hosts()
                    : r.hosts().and(HostSelector.where(t -> arch.equals(t.arch())));
            out.add(Task.parallel(several ? name + " (" + arch + ")" : name, where, actions));
        });
        return out;
    }

    /**
     * CRI-O and iSulad are the operator's (KubeKey does not install them either): kk installs the
     * CNI plugins and crictl and checks the runtime answers on its socket, so kubeadm does not
     * fail later with a less clear error.
     */
    private static Module preinstalled(RuntimeRequest r) {
        String service = "crio".equals(r.containerManager()) ? "crio" : "isulad";
        String socket = ContainerRuntime.fromConfig(r.containerManager()).socketPath();
        String check = "systemctl is-active -q " + service + " && test -S " + socket;
        Action present = Actions.of(
                service + " running", t -> List.of("$ " + check + "    # kk does not install " + service), h -> {
                    if (!h.sudo(check).ok()) {
                        throw KkException.environment(
                                "containerManager " + r.containerManager() + ": " + service
                                        + " is not running with its socket " + socket + " on "
                                        + h.target().name(),
                                "kk (like KubeKey) does not install " + service
                                        + ": install and start it on every Kubernetes node first, or use"
                                        + " containerManager: containerd");
                    }
                    return ActionResult.unchanged(service + " running");
                });
        List<Task> tasks = new ArrayList<>(binaryTasks("CNI plugins and crictl", r, null));
        tasks.add(Task.parallel(service + " check", r.hosts(), present));
        return new Module(service, tasks);
    }

    /**
     * The filesystem type under the data dir (the nearest existing parent): overlay roots need
     * containerd's native snapshotter, as overlayfs cannot stack on overlay.
     */
    static String fsTypeProbe(String dir) {
        return "d=" + Shell.quote(dir) + "; while [ ! -e \"$d\" ]; do d=$(dirname \"$d\"); done; stat -f -c %T \"$d\"";
    }

    public static String snapshotterFor(String fsType) {
        return fsType.strip().startsWith("overlay") ? "native" : "overlayfs";
    }

    private static Module containerd(RuntimeRequest r) {
        HostValues<String> snapshotter = new HostValues<>("containerd snapshotter");
        String probe = fsTypeProbe(r.dataRoot());
        Action facts = Actions.of(
                "snapshotter",
                t -> List.of("$ " + probe + "    # overlay -> snapshotter native, else overlayfs"),
                h -> {
                    String s = snapshotterFor(h.sudoOk(probe).stdout());
                    snapshotter.put(h.target(), s);
                    return ActionResult.unchanged(s);
                });
        List<Task> tasks = new ArrayList<>();
        tasks.add(Task.parallel("runtime facts", r.hosts(), facts));
        tasks.addAll(binaryTasks("containerd binaries", r, CONTAINERD_RESTART));
        tasks.addAll(List.of(
                Task.parallel(
                        "containerd config",
                        r.hosts(),
                        Actions.file(
                                "config.toml",
                                ContainerdFiles.CONFIG_PATH,
                                t -> ContainerdFiles.config(settings(r, snapshotter, t)),
                                0600,
                                CONTAINERD_RESTART),
                        Actions.file(
                                "crictl.yaml",
                                ContainerdFiles.CRICTL_PATH,
                                t -> ContainerdFiles.crictl(ContainerdFiles.SOCKET),
                                0644,
                                null),
                        Actions.file(
                                "unit",
                                ContainerdFiles.UNIT_PATH,
                                t -> ContainerdFiles.unit(),
                                0644,
                                "systemctl daemon-reload && " + CONTAINERD_RESTART)),
                Task.parallel(
                        "containerd service",
                        r.hosts(),
                        Actions.service("enable", "containerd"),
                        ready("containerd", "ctr version"))));
        return new Module("containerd", tasks);
    }

    private static RuntimeSettings settings(RuntimeRequest r, HostValues<String> snapshotter, Target t) {
        RuntimeSettings s = r.settings();
        return new RuntimeSettings(
                s.dataRoot(),
                s.sandboxImage(),
                s.registryMirrors(),
                s.insecureRegistries(),
                s.registries(),
                snapshotter.get(t),
                s.bridgeIp());
    }

    private static Module docker(RuntimeRequest r) {
        List<Task> tasks = new ArrayList<>(binaryTasks("docker binaries", r, DOCKER_RESTART));
        tasks.addAll(List.of(
                Task.parallel(
                        "docker config",
                        r.hosts(),
                        Actions.file(
                                "daemon.json",
                                DockerFiles.DAEMON_JSON_PATH,
                                t -> DockerFiles.daemonJson(r.settings()),
                                0644,
                                DOCKER_RESTART),
                        Actions.file(
                                "unit",
                                DockerFiles.UNIT_PATH,
                                t -> DockerFiles.unit(),
                                0644,
                                "systemctl daemon-reload && " + DOCKER_RESTART)),
                Task.parallel(
                        "docker service",
                        r.hosts(),
                        Actions.service("enable", "docker"),
                        ready("docker", "docker version"))));
        return new Module("docker", tasks);
    }

    /** Waits until the runtime answers on its socket (a check, never a change). */
    static Action ready(String unit, String command) {
        String wait =
                "for i in $(seq 1 100); do " + command + " >/dev/null 2>&1 && exit 0; sleep 0.1; done; " + command;
        return Actions.of("ready", t -> List.of("$ " + wait + "    # wait for " + unit), h -> {
            h.sudoOk(wait);
            return ActionResult.unchanged(unit + " answers");
        });
    }
}
