package io.kk.cluster.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kk.config.ClusterConfig;
import io.kk.config.ConfigLoader;
import io.kk.config.KnownVersions;
import io.kk.error.KkException;
import io.kk.image.RegistryTarget;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** kube-ovn's choices the goldens do not show on their own: which nodes, refusals, the script. */
class KubeOvnTest {
    @TempDir
    Path dir;

    private static NetworkSettings settings(String hosts, String roles, String kubeovn) {
        String text =
                """
                apiVersion: kubekey.kubesphere.io/v1alpha2
                kind: Cluster
                metadata: {name: ovn}
                spec:
                  hosts:
                %s  roleGroups:
                %s  kubernetes: {version: v1.26.15, containerManager: containerd}
                  network:
                    plugin: kubeovn
                    kubePodsCIDR: 10.100.0.0/16
                    kubeovn:
                %s"""
                        .formatted(hosts, roles, kubeovn);
        ClusterConfig c =
                ConfigLoader.cluster(text, "t.yaml", KnownVersions.ANY).config();
        return NetworkSettings.of(c, RegistryTarget.of(""));
    }

    static final String HA_HOSTS =
            """
              - {name: m1, address: 10.0.0.1, internalAddress: "10.0.0.1,fd00::1", password: x}
              - {name: m2, address: 10.0.0.2, password: x}
              - {name: m3, address: 10.0.0.3, password: x}
              - {name: w1, address: 10.0.0.4, password: x, labels: {ovn-db: "yes"}}
            """;
    static final String HA_ROLES =
            """
                etcd: [m1, m2, m3]
                control-plane: [m1, m2, m3]
                worker: [w1]
            """;

    @Test
    void everyControlPlaneRunsAnOvnDatabaseByDefault() {
        NetworkSettings s = settings(HA_HOSTS, HA_ROLES, "      {}\n");
        assertThat(s.kubeovn().nodeIps()).isEqualTo("10.0.0.1,10.0.0.2,10.0.0.3");
        // KubeKey's default gateway 10.233.64.1 belongs to ITS default CIDR: kk follows the configured one
        assertThat(s.kubeovn().podGateway()).isEqualTo("10.100.0.1");
        List<KubeStep> steps = CniManifests.steps(s, dir);
        assertThat(steps.get(0).command()).endsWith("label node m1 m2 m3 kube-ovn/role=master --overwrite");
        assertThat(CniManifests.kubeOvnManifests(s).get(CniManifests.OVN_PATH))
                .contains("  replicas: 3\n")
                .contains("value: \"10.0.0.1,10.0.0.2,10.0.0.3\"");
        // kubectl-ko goes to every control plane, not only the first
        List<io.kk.plan.Task> tasks = NetworkPlan.module(s, "m1", dir).tasks();
        assertThat(tasks).hasSize(2);
        assertThat(tasks.get(1)
                        .hosts()
                        .test(io.kk.plan.Target.of("m2", "10.0.0.2", "amd64", io.kk.plan.Role.CONTROL_PLANE)))
                .isTrue();
        assertThat(tasks.get(1).hosts().test(io.kk.plan.Target.of("w1", "10.0.0.4", "amd64", io.kk.plan.Role.WORKER)))
                .isFalse();
    }

    @Test
    void aHostLabelSelectsTheOvnDatabaseNodes() {
        NetworkSettings s = settings(HA_HOSTS, HA_ROLES, "      label: ovn-db=yes\n");
        assertThat(s.kubeovn().masters()).containsExactly(new KubeOvnSettings.Master("w1", "10.0.0.4"));
        assertThatThrownBy(() -> settings(HA_HOSTS, HA_ROLES, "      label: ovn-db=no\n"))
                .isInstanceOf(KkException.class)
                .hasMessageContaining("selects no node");
    }

    @Test
    void dpdkIsRefusedWithAReason() {
        assertThatThrownBy(() -> settings(HA_HOSTS, HA_ROLES, "      dpdk: {dpdkMode: true}\n"))
                .isInstanceOf(KkException.class)
                .hasMessageContaining("dpdkMode")
                .satisfies(e -> assertThat(((KkException) e).hint()).contains("kube-ovn-dpdk"));
    }

    @Test
    void firstHostOfIpv4AndIpv6Cidrs() {
        assertThat(KubeOvnSettings.firstHost("10.233.64.0/18")).isEqualTo("10.233.64.1");
        assertThat(KubeOvnSettings.firstHost("10.0.255.255/32")).isEqualTo("10.1.0.0");
        assertThat(KubeOvnSettings.firstHost("fd85:ee78:d8a6:8607::1:0000/112")).isEqualTo("fd85:ee78:d8a6:8607::1:1");
        assertThat(KubeOvnSettings.firstHost("fd00::/64")).isEqualTo("fd00::1");
    }

    @Test
    void kubectlKoIsValidBash() throws Exception {
        NetworkSettings s = settings(HA_HOSTS, HA_ROLES, "      {}\n");
        Path script = dir.resolve("kubectl-ko");
        Files.writeString(script, CniManifests.kubectlKo(s));
        Process p = new ProcessBuilder("bash", "-n", script.toString())
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(CniManifests.everyControlPlaneSteps(s).get(0).command())
                .isEqualTo("chmod 0755 /usr/local/bin/kubectl-ko");
    }

    @Test
    void tlsSecretIsMadeOnceWithOpensslAndTheKeysRemoved() {
        NetworkSettings s = settings(HA_HOSTS, HA_ROLES, "      enableSSL: true\n");
        List<KubeStep> steps = CniManifests.steps(s, dir);
        assertThat(steps)
                .extracting(KubeStep::name)
                .containsExactly("kube-ovn-label", "kube-ovn-tls", "network-plugin");
        assertThat(steps.get(1).command())
                .startsWith("/usr/local/bin/kubectl --kubeconfig /etc/kubernetes/admin.conf -n kube-system get secret"
                        + " kube-ovn-tls >/dev/null 2>&1 || ")
                .contains("create secret generic kube-ovn-tls --from-file=cacert=cacert.pem")
                .endsWith("rm -rf \"$d\"; exit $rc)");
    }
}
