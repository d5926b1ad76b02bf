package io.kk.cluster.kubernetes;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The images kubeadm pulls for a generated init file, computed the way kubeadm names them from the
 * ClusterConfiguration ({@code imageRepository}, {@code kubernetesVersion}, {@code dns.*}, {@code
 * etcd.local.*}) plus its own pause tag. The artifact must hold each of them, so this is checked
 * against the image table that fills the artifact.
 */
public final class KubeadmImages {

    private KubeadmImages() {}

    /** One image kubeadm asks for: its component name and the reference as kubeadm writes it. */
    public record Pulled(String component, String reference) {}

    /**
     * The pause tag compiled into kubeadm of each minor release ({@code constants.PauseVersion}).
     * kubeadm pre-pulls it, and with dockershim (docker below 1.24) it is the pod sandbox image;
     * with a CRI runtime the sandbox image is the runtime's own setting.
     */
    public static String kubeadmPauseTag(KubeVersion v) {
        if (v.atLeast(31)) {
            return "3.10";
        }
        if (v.atLeast(26)) {
            return "3.9";
        }
        if (v.atLeast(25)) {
            return "3.8";
        }
        if (v.atLeast(24)) {
            return "3.7";
        }
        if (v.atLeast(23)) {
            return "3.6";
        }
        if (v.atLeast(22)) {
            return "3.5";
        }
        if (v.atLeast(21)) {
            return "3.4.1";
        }
        return "3.2";
    }

    /**
     * What {@code kubeadm config images pull} would fetch for this init file.
     *
     * @param initFile the output of {@link KubeadmConfigs#init}
     * @param kubeProxy false when init skips the kube-proxy addon
     */
    @SuppressWarnings("unchecked")
    public static List<Pulled> pulledBy(String initFile, boolean kubeProxy) {
        Map<String, Object> cc = Yamls.loadAll(initFile).stream()
                .filter(d -> "ClusterConfiguration".equals(d.get("kind")))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no ClusterConfiguration in the init file"));
        String repo = (String) cc.get("imageRepository");
        String version = (String) cc.get("kubernetesVersion");
        List<Pulled> out = new ArrayList<>();
        for (String c : List.of("kube-apiserver", "kube-controller-manager", "kube-scheduler")) {
            out.add(new Pulled(c, repo + "/" + c + ":" + version));
        }
        if (kubeProxy) {
            out.add(new Pulled("kube-proxy", repo + "/kube-proxy:" + version));
        }
        out.add(new Pulled("pause", repo + "/pause:" + kubeadmPauseTag(KubeVersion.parse(version))));
        Map<String, Object> etcd = (Map<String, Object>) cc.get("etcd");
        if (etcd.get("local") instanceof Map<?, ?> local) {
            String etcdRepo = orElse((String) local.get("imageRepository"), repo);
            String etcdTag = (String) local.get("imageTag");
            if (etcdTag == null) {
                throw new IllegalArgumentException("etcd.local.imageTag missing: kubeadm would pick its own etcd");
            }
            out.add(new Pulled("etcd", etcdRepo + "/etcd:" + etcdTag));
        }
        Map<String, Object> dns = (Map<String, Object>) cc.get("dns");
        // kubeadm: dns.imageRepository if set, else imageRepository; the image is always "coredns".
        String dnsRepo = orElse((String) dns.get("imageRepository"), repo);
        String dnsTag = (String) dns.get("imageTag");
        if (dnsTag == null) {
            throw new IllegalArgumentException("dns.imageTag missing: kubeadm would pick its own CoreDNS");
        }
        out.add(new Pulled("coredns", dnsRepo + "/coredns:" + dnsTag));
        return List.copyOf(out);
    }

    private static String orElse(String v, String fallback) {
        return v == null || v.isEmpty() ? fallback : v;
    }
}
