package io.kk.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.kk.plan.RunOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kubeadm upgrade apply puts kubeadm's CoreDNS and kube-dns Service back: right after it, on the
 * first control plane only, kk forgets its DNS stamps and applies its CoreDNS rendered for the
 * target version again (KubeKey's ReconfigureCoreDNS).
 */
class UpgradeDnsTest {
    @TempDir
    Path dir;

    private static String sha256(String s) throws Exception {
        return java.util.HexFormat.of()
                .formatHex(java.security.MessageDigest.getInstance("SHA-256")
                        .digest(s.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    @Test
    void afterApplyOnTheFirstControlPlaneKksCoreDnsForTheTargetIsAppliedAgain() throws Exception {
        Path file = dir.resolve("c.yaml");
        Files.writeString(
                file,
                """
                apiVersion: kubekey.kubesphere.io/v1alpha2
                kind: Cluster
                metadata: {name: t}
                spec:
                  hosts:
                  - {name: m1, address: 10.0.0.11, user: root, password: x}
                  - {name: m2, address: 10.0.0.12, user: root, password: x}
                  - {name: w1, address: 10.0.0.21, user: root, password: x}
                  roleGroups: {etcd: [m1], control-plane: [m1, m2], worker: [w1]}
                  kubernetes: {version: v1.22.17, containerManager: containerd}
                """);
        Upgrade.Request r = new Upgrade.Request(
                Configs.load(file).orThrow(),
                dir,
                dir,
                "v1.23.17",
                Duration.ofMinutes(5),
                false,
                new HostRunOptions(dir.resolve("kh"), false, dir, RunOptions.defaults(), true));
        String plan = Upgrade.preview(r).render();

        String m1 = plan.substring(plan.indexOf("kubeadm upgrade apply"), plan.indexOf("restart kubelet"));
        assertThat(m1)
                .contains(
                        "rm -f /etc/kubernetes/kk-applied/coredns.sha256 /etc/kubernetes/kk-applied/nodelocaldns.sha256")
                .contains("/etc/kubernetes/coredns.yaml")
                .contains("/etc/kubernetes/nodelocaldns.yaml");
        assertThat(m1.indexOf("rm -f /etc/kubernetes/kk-applied/coredns.sha256"))
                .isLessThan(m1.indexOf("/etc/kubernetes/coredns.yaml"));
        // the file written is CoreDNS rendered for the target version (kubeadm 1.23: coredns 1.8.6)
        io.kk.config.ClusterConfig c = r.config();
        String target = io.kk.cluster.dns.DnsManifests.files(io.kk.cluster.dns.DnsSettings.of(
                        c.withKubernetesVersion("v1.23.17"), DeliverySettings.target(c)))
                .get(io.kk.cluster.dns.DnsManifests.COREDNS_PATH);
        String current = io.kk.cluster.dns.DnsManifests.files(
                        io.kk.cluster.dns.DnsSettings.of(c, DeliverySettings.target(c)))
                .get(io.kk.cluster.dns.DnsManifests.COREDNS_PATH);
        assertThat(target).contains("coredns:1.8.6");
        assertThat(current).contains("coredns:1.8.0");
        assertThat(m1)
                .contains("write /etc/kubernetes/coredns.yaml mode 0600 sha256 "
                        + sha256(target).substring(0, 12));
        // only once: the other control plane and the worker run kubeadm upgrade node, no DNS step
        assertThat(plan.split("forget dns stamps", -1).length - 1).isEqualTo(1);
    }
}
