package io.kk.cluster.kubernetes;

import static io.kk.cluster.kubernetes.Yamls.map;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The highly-available API endpoint, as KubeKey builds it.
 *
 * <ul>
 *   <li>{@code haproxy}: every worker runs haproxy as a static pod listening on 127.0.0.1:port and
 *       balancing over all control planes; the endpoint domain maps to 127.0.0.1 in the worker's
 *       /etc/hosts, and its kubelet and kube-proxy are pointed at 127.0.0.1.
 *   <li>{@code kube-vip}: every control plane runs kube-vip as a static pod holding the VIP (ARP
 *       mode) that the endpoint domain maps to; it must run before {@code kubeadm init}.
 *   <li>otherwise the domain maps to the external load balancer's address (or the first control
 *       plane): no files.
 * </ul>
 */
public final class LoadBalancerFiles {
    public static final String HAPROXY_DIR = "/etc/kubekey/haproxy";
    public static final String HAPROXY_CONFIG_PATH = HAPROXY_DIR + "/haproxy.cfg";
    public static final String HAPROXY_MANIFEST_PATH = "/etc/kubernetes/manifests/haproxy.yaml";
    public static final String KUBE_VIP_MANIFEST_PATH = "/etc/kubernetes/manifests/kube-vip.yaml";
    static final int HAPROXY_HEALTH_PORT = 8081;

    private LoadBalancerFiles() {}

    /** haproxy.cfg for the workers: TCP on 127.0.0.1:port to every API server, health-checked. */
    public static String haproxyConfig(KubeadmSettings s) {
        StringBuilder servers = new StringBuilder();
        for (KubeNode cp : s.controlPlanes()) {
            servers.append("  server ")
                    .append(cp.name())
                    .append(' ')
                    .append(cp.primaryInternalAddress())
                    .append(':')
                    .append(s.apiServerBindPort())
                    .append(" check check-ssl verify none\n");
        }
        return """
                global
                    maxconn                 4000
                    log                     127.0.0.1 local0

                defaults
                    mode                    http
                    log                     global
                    option                  httplog
                    option                  dontlognull
                    option                  http-server-close
                    option                  redispatch
                    retries                 5
                    timeout http-request    5m
                    timeout queue           5m
                    timeout connect         30s
                    timeout client          30s
                    timeout server          15m
                    timeout http-keep-alive 30s
                    timeout check           30s
                    maxconn                 4000

                frontend healthz
                  bind *:%d
                  mode http
                  monitor-uri /healthz

                frontend kube_api_frontend
                  bind 127.0.0.1:%d
                  mode tcp
                  option tcplog
                  default_backend kube_api_backend

                backend kube_api_backend
                  mode tcp
                  balance leastconn
                  default-server inter 15s downinter 15s rise 2 fall 2 slowstart 60s maxconn 1000 maxqueue 256 weight 100
                  option httpchk GET /healthz
                  http-check expect status 200
                %s"""
                .formatted(HAPROXY_HEALTH_PORT, s.controlPlaneEndpoint().port(), servers);
    }

    /**
     * haproxy's static pod. The config's md5 sits in an annotation so a changed config changes the
     * manifest, and kubelet restarts the pod.
     */
    public static String haproxyManifest(KubeadmSettings s) {
        Map<String, Object> probe = map("httpGet", map("path", "/healthz", "port", HAPROXY_HEALTH_PORT));
        Map<String, Object> pod = map(
                "apiVersion",
                "v1",
                "kind",
                "Pod",
                "metadata",
                map(
                        "name",
                        "haproxy",
                        "namespace",
                        "kube-system",
                        "labels",
                        map("addonmanager.kubernetes.io/mode", "Reconcile", "k8s-app", "kube-haproxy"),
                        "annotations",
                        map("cfg-checksum", md5(haproxyConfig(s)))),
                "spec",
                map(
                        "hostNetwork",
                        true,
                        "dnsPolicy",
                        "ClusterFirstWithHostNet",
                        "nodeSelector",
                        map("kubernetes.io/os", "linux"),
                        "priorityClassName",
                        "system-node-critical",
                        "containers",
                        List.of(map(
                                "name",
                                "haproxy",
                                "image",
                                s.images().haproxyImage(),
                                "imagePullPolicy",
                                "IfNotPresent",
                                "resources",
                                map("requests", map("cpu", "25m", "memory", "32M")),
                                "livenessProbe",
                                probe,
                                "readinessProbe",
                                probe,
                                "volumeMounts",
                                List.of(map(
                                        "mountPath", "/usr/local/etc/haproxy/",
                                        "name", "etc-haproxy",
                                        "readOnly", true)))),
                        "volumes",
                        List.of(map("name", "etc-haproxy", "hostPath", map("path", HAPROXY_DIR)))));
        return Yamls.dump(pod);
    }

    /**
     * The commands that move a joined worker onto its local haproxy (run after the haproxy pod is
     * written): kubelet's kubeconfig, then the endpoint domain in /etc/hosts.
     */
    public static List<String> haproxyWorkerCommands(KubeadmSettings s) {
        int port = s.controlPlaneEndpoint().port();
        String domain = s.controlPlaneEndpoint().domain();
        return List.of(
                "sed -i 's#server:.*#server: https://127.0.0.1:" + port + "#g' /etc/kubernetes/kubelet.conf",
                "systemctl daemon-reload && systemctl restart kubelet",
                "sed -i 's#.* " + domain + "#127.0.0.1 " + domain + "#g' /etc/hosts");
    }

    /**
     * Points kube-proxy (cluster-wide, run once on the first control plane) at 127.0.0.1: the local
     * API server on control planes, the local haproxy on workers.
     */
    public static List<String> haproxyKubeProxyCommands(KubeadmSettings s) {
        String kubectl = KubeadmCommands.KUBECTL + " --kubeconfig " + KubeadmCommands.ADMIN_CONF;
        return List.of(
                "set -o pipefail && " + kubectl + " get configmap kube-proxy -n kube-system -o yaml"
                        + " | sed 's#server:.*#server: https://127.0.0.1:"
                        + s.controlPlaneEndpoint().port() + "#g'"
                        + " | " + kubectl + " replace -f -",
                kubectl + " delete pod -n kube-system -l k8s-app=kube-proxy --force --grace-period=0");
    }

    /**
     * kube-vip's static pod for one control plane, ARP mode.
     *
     * @param vipInterface the network interface carrying the node's address (kk reads it from
     *     {@code ip route} on the node)
     * @param initNode true on the node that runs {@code kubeadm init}: from 1.29 on, admin.conf has
     *     no rights until init has finished, so kube-vip must use super-admin.conf there, and is
     *     switched back by {@link #kubeVipAfterInit()}
     */
    public static String kubeVipManifest(KubeadmSettings s, String vipInterface, boolean initNode) {
        if (!s.controlPlaneEndpoint().kubeVip()) {
            throw new IllegalArgumentException("controlPlaneEndpoint.internalLoadbalancer is not kube-vip");
        }
        String kubeconfig =
                initNode && s.version().atLeast(29) ? "/etc/kubernetes/super-admin.conf" : KubeadmCommands.ADMIN_CONF;
        List<Map<String, Object>> env = new ArrayList<>();
        String[][] pairs = {
            {"vip_arp", "true"},
            {"port", Integer.toString(s.controlPlaneEndpoint().port())},
            {"vip_interface", vipInterface},
            {"vip_cidr", "32"},
            {"cp_enable", "true"},
            {"cp_namespace", "kube-system"},
            {"vip_ddns", "false"},
            {"svc_enable", "true"},
            {"vip_leaderelection", "true"},
            {"vip_leaseduration", "5"},
            {"vip_renewdeadline", "3"},
            {"vip_retryperiod", "1"},
            {"lb_enable", "true"},
            {"lb_port", Integer.toString(s.apiServerBindPort())},
            {"address", s.controlPlaneEndpoint().address()}
        };
        for (String[] p : pairs) {
            env.add(map("name", p[0], "value", p[1]));
        }
        Map<String, Object> pod = map(
                "apiVersion",
                "v1",
                "kind",
                "Pod",
                "metadata",
                map("name", "kube-vip", "namespace", "kube-system"),
                "spec",
                map(
                        "containers",
                                List.of(map(
                                        "name", "kube-vip",
                                        "image", s.images().kubeVipImage(),
                                        "imagePullPolicy", "IfNotPresent",
                                        "args", List.of("manager"),
                                        "env", env,
                                        "securityContext",
                                                map(
                                                        "capabilities",
                                                        map("add", List.of("NET_ADMIN", "NET_RAW", "SYS_TIME"))),
                                        "volumeMounts",
                                                List.of(map(
                                                        "mountPath",
                                                        KubeadmCommands.ADMIN_CONF,
                                                        "name",
                                                        "kubeconfig")))),
                        "hostAliases", List.of(map("hostnames", List.of("kubernetes"), "ip", "127.0.0.1")),
                        "hostNetwork", true,
                        "volumes", List.of(map("name", "kubeconfig", "hostPath", map("path", kubeconfig)))));
        return Yamls.dump(pod);
    }

    /** On the init node (1.29+), hands kube-vip the ordinary admin.conf once init has finished. */
    public static String kubeVipAfterInit() {
        return "sed -i 's#path: /etc/kubernetes/super-admin.conf#path: " + KubeadmCommands.ADMIN_CONF + "#g' "
                + KUBE_VIP_MANIFEST_PATH;
    }

    static String md5(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 missing from the JDK", e);
        }
    }
}
