package io.kk.cluster.certs;

import io.kk.plan.Action;
import io.kk.plan.Actions;
import io.kk.plan.HostSelector;
import io.kk.plan.Module;
import io.kk.plan.Role;
import io.kk.plan.Task;
import java.util.List;

/**
 * KubeKey's certificate auto-renew on control planes: the script, service and timer installed and
 * the timer enabled when {@code kubernetes.autoRenewCerts} is on (the default); all of it removed
 * when it is off, so turning it off on a rerun takes effect.
 */
public final class CertsRenewPlan {
    private CertsRenewPlan() {}

    /**
     * @param alphaCerts Kubernetes below 1.20 ({@code kubeadm alpha certs}); the script is the same
     *     for containerd and docker (it restarts static pods by their manifests)
     */
    public static Module module(boolean enabled, boolean alphaCerts) {
        HostSelector controlPlanes = HostSelector.role(Role.CONTROL_PLANE);
        if (!enabled) {
            String files = String.join(
                    " ", CertsRenewFiles.TIMER_PATH, CertsRenewFiles.UNIT_PATH, CertsRenewFiles.SCRIPT_PATH);
            Action remove = Actions.guarded(
                    "remove the renew timer",
                    "! systemctl is-enabled k8s-certs-renew.timer >/dev/null 2>&1 && ! ls " + files
                            + " >/dev/null 2>&1",
                    "systemctl disable --now k8s-certs-renew.timer >/dev/null 2>&1; rm -f " + files
                            + " && systemctl daemon-reload");
            return Module.of(
                    "certs renew (autoRenewCerts: false)", Task.parallel("renew timer", controlPlanes, remove));
        }
        return Module.of(
                "certs renew",
                Task.parallel(
                        "renew timer",
                        controlPlanes,
                        Actions.file(
                                "renew script",
                                CertsRenewFiles.SCRIPT_PATH,
                                t -> CertsRenewFiles.script(alphaCerts),
                                0755,
                                null),
                        Actions.file(
                                "renew service",
                                CertsRenewFiles.UNIT_PATH,
                                t -> CertsRenewFiles.unit(),
                                0644,
                                "systemctl daemon-reload"),
                        Actions.file(
                                "renew timer",
                                CertsRenewFiles.TIMER_PATH,
                                t -> CertsRenewFiles.timer(),
                                0644,
                                "systemctl daemon-reload"),
                        Actions.service("renew timer enabled", "k8s-certs-renew.timer")));
    }

    static List<String> paths() {
        return List.of(CertsRenewFiles.SCRIPT_PATH, CertsRenewFiles.UNIT_PATH, CertsRenewFiles.TIMER_PATH);
    }
}
