package io.kk.cluster.dns;

import io.kk.cluster.network.KubeStep;
import io.kk.cluster.network.Template;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The cluster DNS as KubeKey 3.1's {@code ClusterDNSModule} leaves it, applied from the first
 * control plane after the CNI:
 *
 * <ul>
 *   <li>{@code /etc/kubernetes/coredns.yaml}: CoreDNS's ConfigMap (the Corefile templated from
 *       {@code dns.coredns} and {@code dns.dnsEtcHosts}), its ClusterRole, its Service {@code
 *       coredns} on the 3rd service address, and its Deployment. KubeKey 3.1 replaces kubeadm's
 *       CoreDNS this way on every create, customised or not; then it deletes kubeadm's Service
 *       {@code kube-dns} and restarts CoreDNS.
 *   <li>{@code /etc/kubernetes/nodelocaldns.yaml} (only with {@code kubernetes.nodelocaldns}): the
 *       node-cache DaemonSet and its ConfigMap, forwarding the cluster domain to CoreDNS's Service.
 * </ul>
 *
 * Each is a {@link KubeStep}: applied again only when its file changes, so hand edits of the
 * ConfigMaps survive reruns with the same config (KubeKey 3.0 never re-applied an existing
 * nodelocaldns ConfigMap; 3.1 re-applies both every time). {@code kubeadm upgrade} puts its own
 * CoreDNS back (Service kube-dns, its Deployment): after an upgrade these steps must run again
 * (KubeKey's {@code ReconfigureCoreDNS}), e.g. by removing the {@code coredns} stamp under {@link
 * KubeStep#STAMP_DIR}. Pure: texts and commands only.
 */
public final class DnsManifests {
    public static final String COREDNS_PATH = "/etc/kubernetes/coredns.yaml";
    public static final String NODELOCALDNS_PATH = "/etc/kubernetes/nodelocaldns.yaml";

    /** KubeKey retries its DNS tasks 5 times, 5 s apart. */
    static final int ATTEMPTS = 5;

    static final int DELAY_SECONDS = 5;

    private DnsManifests() {}

    /** The steps in order: CoreDNS, then nodelocaldns when enabled. */
    public static List<KubeStep> steps(DnsSettings s) {
        List<KubeStep> out = new ArrayList<>();
        String kubectl = KubeStep.KUBECTL;
        out.add(new KubeStep(
                "coredns",
                Map.of(COREDNS_PATH, coredns(s)),
                Map.of(),
                kubectl + " apply -f " + COREDNS_PATH
                        // kubeadm's Service for the same pods, on the 10th address: nothing points there
                        + " && " + kubectl + " -n kube-system delete service kube-dns --ignore-not-found"
                        // a changed Corefile is reloaded by CoreDNS itself; a new hosts key needs new pods
                        + " && " + kubectl + " -n kube-system rollout restart deployment coredns",
                ATTEMPTS,
                DELAY_SECONDS));
        if (s.nodeLocalDns()) {
            out.add(new KubeStep(
                    "nodelocaldns",
                    Map.of(NODELOCALDNS_PATH, nodelocaldns(s)),
                    Map.of(),
                    kubectl + " apply -f " + NODELOCALDNS_PATH,
                    ATTEMPTS,
                    DELAY_SECONDS));
        }
        return out;
    }

    /** The generated files, path -> content, in applying order. */
    public static Map<String, String> files(DnsSettings s) {
        Map<String, String> out = new LinkedHashMap<>();
        for (KubeStep st : steps(s)) {
            out.putAll(st.files());
        }
        return out;
    }

    static String coredns(DnsSettings s) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("corefile", indent(corednsCorefile(s), 4));
        v.put("etcHosts", !s.etcHosts().isEmpty());
        v.put("etcHostsText", indent(s.etcHosts(), 4));
        v.put("clusterIP", s.corednsServiceIp());
        v.put("corednsImage", s.corednsImage());
        return Template.resource(DnsManifests.class, "coredns.yaml").render(v);
    }

    static String nodelocaldns(DnsSettings s) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("localIP", DnsSettings.NODE_LOCAL_DNS_IP);
        v.put("corefile", indent(nodeLocalCorefile(s), 4));
        v.put("etcHosts", !s.etcHosts().isEmpty());
        v.put("etcHostsText", indent(s.etcHosts(), 4));
        v.put("nodeCacheImage", s.nodeCacheImage());
        return Template.resource(DnsManifests.class, "nodelocaldns.yaml").render(v);
    }

    /** CoreDNS's Corefile: KubeKey's server blocks, in its order. */
    static String corednsCorefile(DnsSettings s) {
        DnsSettings.CoreDns c = s.coredns();
        boolean hosts = !s.etcHosts().isEmpty();
        StringBuilder b = new StringBuilder();
        for (DnsSettings.Zone z : c.externalZones()) {
            b.append(String.join(" ", z.zones())).append(" {\n");
            b.append("    log\n    errors\n");
            z.rewrite().forEach(r -> b.append("    rewrite ").append(r).append('\n'));
            b.append("    forward . ").append(String.join(" ", z.nameservers())).append('\n');
            b.append("    loadbalance\n    cache ").append(z.cache()).append("\n    reload\n");
            if (hosts) {
                b.append(HOSTS_PLUGIN);
            }
            b.append("}\n");
        }
        b.append(".:53 {\n");
        if (!c.additionalConfigs().isEmpty()) {
            b.append(indent(c.additionalConfigs(), 4)).append('\n');
        }
        b.append("    errors\n    health {\n      lameduck 5s\n    }\n");
        if (!c.rewriteBlock().isEmpty()) {
            b.append(indent(c.rewriteBlock(), 4)).append('\n');
        }
        b.append("    ready\n");
        b.append("    kubernetes ").append(s.dnsDomain()).append(" in-addr.arpa ip6.arpa {\n");
        b.append("      pods insecure\n      fallthrough in-addr.arpa ip6.arpa\n      ttl 30\n    }\n");
        b.append("    prometheus :9153\n");
        b.append("    forward . ")
                .append(c.upstreams().isEmpty() ? "/etc/resolv.conf" : String.join(" ", c.upstreams()))
                .append(" {\n      prefer_udp\n      max_concurrent 1000\n    }\n");
        b.append("    cache 30\n    loop\n    reload\n    loadbalance\n");
        if (hosts) {
            b.append(HOSTS_PLUGIN);
        }
        b.append("}");
        return b.toString();
    }

    /**
     * nodelocaldns's Corefile: the cluster domain and the reverse zones to CoreDNS over TCP, each
     * external zone to its nameservers, everything else to the node's resolvers. Pods ask
     * nodelocaldns first, so {@code dnsEtcHosts} must be answered here too, not only by CoreDNS.
     */
    static String nodeLocalCorefile(DnsSettings s) {
        String ip = DnsSettings.NODE_LOCAL_DNS_IP;
        String upstream = s.corednsServiceIp();
        StringBuilder b = new StringBuilder();
        b.append(s.dnsDomain()).append(":53 {\n");
        b.append("    errors\n    cache {\n        success 9984 30\n        denial 9984 5\n    }\n");
        b.append("    reload\n    loop\n    bind ").append(ip).append('\n');
        b.append("    forward . ").append(upstream).append(" {\n        force_tcp\n    }\n");
        b.append("    prometheus :9253\n    health ").append(ip).append(":9254\n}\n");
        for (String reverse : List.of("in-addr.arpa:53", "ip6.arpa:53")) {
            b.append(reverse).append(" {\n");
            b.append("    errors\n    cache 30\n    reload\n    loop\n    bind ")
                    .append(ip)
                    .append('\n');
            b.append("    forward . ").append(upstream).append(" {\n        force_tcp\n    }\n");
            b.append("    prometheus :9253\n}\n");
        }
        for (DnsSettings.Zone z : s.nodeLocalZones()) {
            b.append(String.join(" ", z.zones())).append(" {\n");
            b.append("    errors\n    cache ").append(z.cache()).append("\n    reload\n    loop\n");
            b.append("    bind ").append(ip).append('\n');
            z.rewrite().forEach(r -> b.append("    rewrite ").append(r).append('\n'));
            b.append("    forward . ").append(String.join(" ", z.nameservers())).append('\n');
            b.append("    prometheus :9253\n}\n");
        }
        b.append(".:53 {\n    errors\n    cache 30\n    reload\n    loop\n    bind ")
                .append(ip)
                .append('\n');
        b.append("    forward . /etc/resolv.conf\n    prometheus :9253\n");
        if (!s.etcHosts().isEmpty()) {
            b.append(HOSTS_PLUGIN);
        }
        b.append("}");
        return b.toString();
    }

    private static final String HOSTS_PLUGIN = "    hosts /etc/coredns/hosts {\n      fallthrough\n    }\n";

    static String indent(String text, int spaces) {
        String pad = " ".repeat(spaces);
        StringBuilder b = new StringBuilder();
        for (String line : text.split("\n", -1)) {
            if (!b.isEmpty()) {
                b.append('\n');
            }
            b.append(line.isBlank() ? "" : pad + line.stripTrailing());
        }
        return b.toString();
    }
}
