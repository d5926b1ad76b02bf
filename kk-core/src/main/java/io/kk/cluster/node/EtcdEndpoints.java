package io.kk.cluster.node;

import io.kk.cluster.kubernetes.KubeadmConfigs;
import io.kk.error.KkException;
import io.kk.host.CommandResult;
import io.kk.host.RemoteCommand;
import io.kk.plan.Action;
import io.kk.plan.ActionResult;
import io.kk.plan.Actions;
import io.kk.plan.Shell;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Takes an etcd member's client URL out of what points kube-apiserver at etcd (external etcd,
 * kk's etcd type kubekey): the {@code --etcd-servers} flag of each control plane's static pod
 * manifest (kubelet restarts the pod when the file changes), kk's kubeadm config file on the
 * control plane, and the {@code etcd.external.endpoints} of the ClusterConfiguration in the
 * {@code kube-system/kubeadm-config} ConfigMap (what {@code kubeadm upgrade} and joins read).
 * Only that URL goes; the others keep their order, and a file without it is left untouched.
 */
public final class EtcdEndpoints {
    public static final String APISERVER_MANIFEST = "/etc/kubernetes/manifests/kube-apiserver.yaml";

    private static final Pattern SERVERS = Pattern.compile("(?m)^(\\s*- --etcd-servers=)(\\S*)\\s*$");
    private static final Pattern SECURE_PORT = Pattern.compile("(?m)^\\s*- --secure-port=(\\d+)\\s*$");
    private static final Pattern ENDPOINTS_KEY = Pattern.compile("^(\\s*)endpoints:\\s*$");
    private static final Pattern LIST_ITEM = Pattern.compile("^(\\s*)-\\s+(\\S+)\\s*$");
    private static final String HAS_KUBECTL = "test -x " + Kubectl.KUBECTL + " && test -f " + Kubectl.ADMIN_CONF;
    private static final String K = Kubectl.KUBECTL + " --kubeconfig " + Kubectl.ADMIN_CONF;

    private EtcdEndpoints() {}

    /** The manifest with {@code removed} dropped from {@code --etcd-servers}; the same text when absent. */
    public static String manifestWithout(String manifest, String removed) {
        Matcher m = SERVERS.matcher(manifest);
        if (!m.find()) {
            return manifest;
        }
        List<String> urls = new ArrayList<>(List.of(m.group(2).split(",")));
        if (!urls.remove(removed)) {
            return manifest;
        }
        return manifest.substring(0, m.start()) + m.group(1) + String.join(",", urls) + manifest.substring(m.end());
    }

    /** The {@code --etcd-servers} value of a manifest, or "" when it has none. */
    public static String servers(String manifest) {
        Matcher m = SERVERS.matcher(manifest);
        return m.find() ? m.group(2) : "";
    }

    static int securePort(String manifest) {
        Matcher m = SECURE_PORT.matcher(manifest);
        return m.find() ? Integer.parseInt(m.group(1)) : 6443;
    }

    /**
     * A kubeadm ClusterConfiguration (block-style YAML, as kubeadm and kk write it) with the list
     * item {@code removed} dropped from every {@code endpoints:} list; the same text when absent.
     */
    public static String clusterConfigurationWithout(String yaml, String removed) {
        List<String> out = new ArrayList<>();
        String endpointsIndent = null;
        boolean dropped = false;
        for (String line : yaml.split("\n", -1)) {
            Matcher key = ENDPOINTS_KEY.matcher(line);
            Matcher item = LIST_ITEM.matcher(line);
            if (endpointsIndent != null && item.matches() && item.group(1).length() >= endpointsIndent.length()) {
                if (item.group(2).equals(removed)) {
                    dropped = true;
                    continue;
                }
            } else {
                endpointsIndent = key.matches() ? key.group(1) : null;
            }
            out.add(line);
        }
        return dropped ? String.join("\n", out) : yaml;
    }

    /**
     * Waits until a kube-apiserver process runs with exactly {@code servers} and answers on its port:
     * kubelet replaces the static pod some seconds after the manifest changed, and the next control
     * plane is only touched once this one serves again.
     */
    static String waitApiserver(String servers, int port) {
        return "for i in $(seq 1 180); do ps -eo args | grep '^kube-apiserver ' | tr ' ' '\\n' | grep -qxF -- "
                + Shell.quote("--etcd-servers=" + servers) + " && (exec 3<>/dev/tcp/127.0.0.1/" + port
                + ") 2>/dev/null && exit 0; sleep 1; done; echo 'kube-apiserver did not come back with --etcd-servers="
                + servers + " within 180 s' >&2; exit 1";
    }

    /** On a remaining control plane: the manifest and kk's kubeadm config without {@code removed}. */
    static Action onControlPlane(String removed) {
        return Actions.of(
                "kube-apiserver etcd endpoints",
                t -> List.of(
                        "$ cat " + APISERVER_MANIFEST + "    # drop " + removed + " from --etcd-servers; when it"
                                + " changed, write it and wait for kubelet to restart kube-apiserver:",
                        "$ " + waitApiserver("<the others>", 6443),
                        "$ cat " + KubeadmConfigs.PATH + "    # drop " + removed
                                + " from etcd.external.endpoints when present"),
                h -> {
                    List<String> changed = new ArrayList<>();
                    CommandResult manifest = h.sudo("cat " + APISERVER_MANIFEST);
                    if (manifest.ok()) {
                        String want = manifestWithout(manifest.stdout(), removed);
                        if (!want.equals(manifest.stdout())) {
                            Actions.ensure(h, APISERVER_MANIFEST, want, 0600);
                            h.run(RemoteCommand.sudo(waitApiserver(servers(want), securePort(want)))
                                            .withTimeout(Duration.ofMinutes(4)))
                                    .orThrow(h.hostName(), "kube-apiserver restart with the etcd endpoints left");
                            changed.add(APISERVER_MANIFEST);
                        }
                    }
                    CommandResult config = h.sudo("cat " + KubeadmConfigs.PATH);
                    if (config.ok()) {
                        String want = clusterConfigurationWithout(config.stdout(), removed);
                        if (!want.equals(config.stdout())) {
                            Actions.ensure(h, KubeadmConfigs.PATH, want, 0644);
                            changed.add(KubeadmConfigs.PATH);
                        }
                    }
                    if (!manifest.ok() && !config.ok()) {
                        return ActionResult.skipped("no kube-apiserver manifest here");
                    }
                    return ActionResult.of(
                            !changed.isEmpty(),
                            changed.isEmpty() ? removed + " not in use" : "without " + removed + ": " + changed);
                });
    }

    static String readClusterConfiguration() {
        return K + " -n kube-system get configmap kubeadm-config -o jsonpath='{.data.ClusterConfiguration}'";
    }

    static String patchClusterConfiguration(String yaml) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("ClusterConfiguration", yaml);
        return K + " -n kube-system patch configmap kubeadm-config --type merge -p "
                + Shell.quote(json(Map.of("data", data)));
    }

    private static String json(Object o) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(o);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw KkException.internal("cannot write a ConfigMap patch: " + e.getMessage(), e);
        }
    }

    /** On the control plane kubectl runs on: the ConfigMap's ClusterConfiguration without {@code removed}. */
    static Action inClusterConfiguration(String removed) {
        return Actions.of(
                "kubeadm-config etcd endpoints",
                t -> List.of(
                        "$ " + HAS_KUBECTL + "    # else skipped: no cluster",
                        "$ " + readClusterConfiguration(),
                        "$ " + K
                                + " -n kube-system patch configmap kubeadm-config --type merge -p <ClusterConfiguration"
                                + " without " + removed + ">    # when it lists " + removed),
                h -> {
                    if (!h.sudo(HAS_KUBECTL).ok()) {
                        return ActionResult.skipped("no " + Kubectl.KUBECTL + " and " + Kubectl.ADMIN_CONF
                                + " here: no Kubernetes cluster to update");
                    }
                    String yaml = h.sudoOk(readClusterConfiguration()).stdout();
                    String want = clusterConfigurationWithout(yaml, removed);
                    if (want.equals(yaml)) {
                        return ActionResult.unchanged(removed + " not in the ClusterConfiguration");
                    }
                    h.sudoOk(patchClusterConfiguration(want));
                    return ActionResult.changed("kubeadm-config without " + removed);
                });
    }
}
