package io.kk.cluster.upgrade;

import io.kk.cluster.kubernetes.KubeVersion;
import io.kk.cluster.kubernetes.KubeadmApi;
import io.kk.cluster.kubernetes.KubeadmCommands;
import io.kk.cluster.kubernetes.KubeadmConfigs;

/** The kubeadm command lines of an upgrade, as KubeKey runs them. */
public final class UpgradeCommands {
    private UpgradeCommands() {}

    /**
     * On the first control plane. KubeKey's flags: preflight errors ignored (kk checked what matters
     * itself), pre-releases allowed, certificates renewed; etcd left alone unless kubeadm runs it.
     */
    public static String apply(KubeVersion target, boolean etcdUpgrade) {
        return "timeout -k 600s 600s " + KubeadmCommands.KUBEADM + " upgrade apply " + target.text()
                + " -y --ignore-preflight-errors=all --allow-experimental-upgrades"
                + " --allow-release-candidate-upgrades --etcd-upgrade=" + etcdUpgrade + " --certificate-renewal=true";
    }

    /** On every other control plane and every worker, after the first control plane. */
    public static String node() {
        return "timeout -k 600s 600s " + KubeadmCommands.KUBEADM + " upgrade node";
    }

    /** Restarts kubelet on its new binary. */
    public static String restartKubelet() {
        return "systemctl daemon-reload && systemctl restart kubelet";
    }

    /**
     * The config file kk keeps at {@link KubeadmConfigs#PATH} in the API the new kubeadm reads: when
     * the upgrade crosses an API change (v1beta3 -> v1beta4 at 1.31, where extraArgs become name/value
     * lists), the new kubeadm migrates it (the in-cluster ConfigMap is converted by {@code upgrade
     * apply} itself). A file already in the new API is left as it is.
     */
    public static String migrateConfig(KubeVersion target) {
        String api = KubeadmApi.forVersion(target).apiVersion();
        String p = KubeadmConfigs.PATH;
        return "if [ -f " + p + " ] && ! grep -q 'apiVersion: " + api + "' " + p + "; then cp -f " + p + " " + p
                + ".bak && " + KubeadmCommands.KUBEADM + " config migrate --old-config " + p + ".bak --new-config " + p
                + "; fi";
    }

    /** True when kubeadm's config API differs between the two versions. */
    public static boolean apiChanges(KubeVersion from, KubeVersion to) {
        return KubeadmApi.forVersion(from) != KubeadmApi.forVersion(to);
    }
}
