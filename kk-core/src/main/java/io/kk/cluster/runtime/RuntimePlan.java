package io.kk.cluster.runtime;

import io.kk.cluster.install.FileInstall;
import io.kk.plan.Action;
import io.kk.plan.ActionResult;
import io.kk.plan.Actions;
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
        return r.docker() ? docker(r) : containerd(r);
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
        List<Action> binaries = new ArrayList<>();
        for (FileInstall.Plan p : r.binaries()) {
            binaries.add(FileInstall.action(p.source().getFileName().toString(), p, CONTAINERD_RESTART));
        }
        return Module.of(
                "containerd",
                Task.parallel("runtime facts", r.hosts(), facts),
                Task.parallel("containerd binaries", r.hosts(), binaries),
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
                        ready("containerd", "ctr version")));
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
        List<Action> binaries = new ArrayList<>();
        for (FileInstall.Plan p : r.binaries()) {
            binaries.add(FileInstall.action(p.source().getFileName().toString(), p, DOCKER_RESTART));
        }
        return Module.of(
                "docker",
                Task.parallel("docker binaries", r.hosts(), binaries),
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
                        ready("docker", "docker version")));
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
