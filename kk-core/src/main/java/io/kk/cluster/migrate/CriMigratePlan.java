package io.kk.cluster.migrate;

import io.kk.cluster.kubernetes.ContainerRuntime;
import io.kk.cluster.node.Kubectl;
import io.kk.cluster.node.NodeGuard;
import io.kk.cluster.node.NodeSteps;
import io.kk.cluster.runtime.ContainerdFiles;
import io.kk.cluster.runtime.RuntimePlan;
import io.kk.error.KkException;
import io.kk.plan.Action;
import io.kk.plan.ActionResult;
import io.kk.plan.Actions;
import io.kk.plan.HostSelector;
import io.kk.plan.HostValues;
import io.kk.plan.Module;
import io.kk.plan.Pipeline;
import io.kk.plan.Role;
import io.kk.plan.Target;
import io.kk.plan.Task;
import java.util.ArrayList;
import java.util.List;

/** The migrate pipeline: one module per node, in {@link CriMigrateRequest#nodes()} order. */
public final class CriMigratePlan {
    public static final String KUBEADM_FLAGS = "/var/lib/kubelet/kubeadm-flags.env";
    public static final String KUBELET_CONFIG = "/var/lib/kubelet/config.yaml";

    /** docker and cri-dockerd, socket units included (a socket would start docker again). */
    static final String STOP_DOCKER = "for u in cri-docker.socket cri-docker.service docker.socket docker.service; do"
            + " if systemctl cat $u >/dev/null 2>&1; then systemctl disable --now $u; fi; done";

    static final String DOCKER_STOPPED =
            "! systemctl is-active -q docker.service && ! systemctl is-active -q docker.socket"
                    + " && ! systemctl is-active -q cri-docker.service";

    private CriMigratePlan() {}

    public static Pipeline pipeline(CriMigrateRequest r) {
        if (r.inventory().select(t -> t.has(Role.CONTROL_PLANE)).isEmpty()) {
            throw KkException.invalidInput("the config has no control plane", "check spec.roleGroups.control-plane");
        }
        List<Target> nodes = r.nodes();
        if (nodes.isEmpty()) {
            throw KkException.invalidInput(
                    "no node has the role " + r.role().name().toLowerCase(java.util.Locale.ROOT),
                    "give --role master, worker or all");
        }
        HostValues<Boolean> kubelet = new HostValues<>("kubelet presence");
        List<Module> modules = new ArrayList<>();
        for (Target node : nodes) {
            modules.add(node(r, node, kubelet));
        }
        return new Pipeline("cri migrate to containerd", modules);
    }

    private static Module node(CriMigrateRequest r, Target node, HostValues<Boolean> kubelet) {
        NodeGuard k8s = NodeGuard.needsKubelet(kubelet);
        HostSelector on = HostSelector.named(node.name());
        HostSelector onKubectl = HostSelector.named(r.kubectlHost().name());
        List<Task> tasks = new ArrayList<>();
        tasks.add(Task.serial(node.name() + " facts", on, NodeSteps.kubeletProbe(kubelet)));
        tasks.add(Task.serial(
                node.name() + " drain", onKubectl, k8s.guard(node, NodeSteps.cordonAndDrain(node, r.drainTimeout()))));
        List<Action> stop = new ArrayList<>();
        stop.add(stopDocker());
        r.caCopies().forEach(c -> stop.add(caCopy(c)));
        tasks.add(new Task(node.name() + " stop docker", on, stop, true));
        // the runtime phase's own steps, for this node alone
        for (Task t : RuntimePlan.module(r.containerd().apply(on)).tasks()) {
            tasks.add(new Task(node.name() + " " + t.name(), on, t.actions(), true));
        }
        tasks.add(Task.serial(
                node.name() + " kubelet",
                on,
                k8s.guardSelf(kubeletEndpoint(r)),
                k8s.guardSelf(
                        NodeSteps.command("restart kubelet", "systemctl daemon-reload && systemctl restart kubelet"))));
        tasks.add(Task.serial(
                node.name() + " back in service",
                onKubectl,
                k8s.guard(
                        node,
                        NodeSteps.command(
                                "cri-socket annotation",
                                Kubectl.annotateCriSocket(node.name(), ContainerdFiles.SOCKET))),
                k8s.guard(node, NodeSteps.waitReady(node, "", r.readyTimeout())),
                k8s.guard(node, NodeSteps.uncordon(node))));
        return new Module("migrate " + node.name(), tasks);
    }

    /** Copies a registry CA kk gave docker to where containerd's config points (when it is there). */
    static Action caCopy(CriMigrateRequest.CaCopy c) {
        String from = io.kk.plan.Shell.quote(c.from());
        String to = io.kk.plan.Shell.quote(c.to());
        return Actions.guarded(
                "registry CA for containerd",
                "[ ! -f " + from + " ] || cmp -s " + from + " " + to,
                "mkdir -p \"$(dirname " + to + ")\" && cp -f " + from + " " + to);
    }

    static Action stopDocker() {
        return Actions.of(
                "stop docker",
                t -> List.of(
                        "$ " + DOCKER_STOPPED + "    # check; act only when it fails",
                        "$ " + STOP_DOCKER,
                        "# docker's data dir is kept (images, for going back); kk does not delete it"),
                h -> {
                    if (h.sudo(DOCKER_STOPPED).ok()) {
                        return ActionResult.unchanged("docker not running");
                    }
                    h.sudoOk(STOP_DOCKER);
                    return ActionResult.changed("docker and cri-dockerd stopped and disabled");
                });
    }

    /**
     * kubelet's runtime flags in {@value #KUBEADM_FLAGS} (written by kubeadm): dockershim's {@code
     * --network-plugin} and any old endpoint go, containerd's endpoint comes in ({@code
     * --container-runtime=remote} too below 1.24, where kubelet still defaults to dockershim); a
     * {@code containerRuntimeEndpoint} in {@value #KUBELET_CONFIG} (1.27+) is pointed at containerd too.
     */
    public static String kubeletEndpointScript(CriMigrateRequest r) {
        return kubeletEndpointScript(r, KUBEADM_FLAGS, KUBELET_CONFIG);
    }

    static String kubeletEndpointScript(CriMigrateRequest r, String flagsFile, String configFile) {
        String sock = ContainerdFiles.SOCKET;
        String add = (r.version().below(24) ? "--container-runtime=remote " : "") + "--container-runtime-endpoint="
                + sock + " ";
        return "f=" + flagsFile
                + "; touch $f; grep -q '^KUBELET_KUBEADM_ARGS=' $f || echo 'KUBELET_KUBEADM_ARGS=\"\"' >> $f;"
                + " sed -i -E 's#--container-runtime-endpoint=[^ \"]*##g; s#--container-runtime=[^ \"]*##g;"
                + " s#--network-plugin=[^ \"]*##g; s#^KUBELET_KUBEADM_ARGS=\" *#KUBELET_KUBEADM_ARGS=\"" + add + "#;"
                + " s#  +# #g' $f; if [ -f " + configFile + " ]; then sed -i -E 's#^containerRuntimeEndpoint:.*#"
                + "containerRuntimeEndpoint: " + sock + "#' " + configFile + "; fi";
    }

    static Action kubeletEndpoint(CriMigrateRequest r) {
        String script = kubeletEndpointScript(r);
        return Actions.of("kubelet to containerd", t -> List.of("$ " + script), h -> {
            h.sudoOk(script);
            return ActionResult.changed(ContainerRuntime.CONTAINERD.criSocket(r.version()));
        });
    }
}
