package io.kk.cluster.network;

import static org.assertj.core.api.Assertions.assertThat;

import io.kk.config.ClusterConfig;
import io.kk.config.ConfigLoader;
import io.kk.config.KnownVersions;
import io.kk.config.LoadedCluster;
import io.kk.image.RegistryTarget;
import java.util.ArrayList;
import java.util.List;

/** Cluster configs for the CNI tests: written as users write them, read by kk's config reader. */
final class NetworkScenarios {
    /** Spanning the kubeadm APIs: v1beta2 (1.21), v1beta3 (1.26), v1beta4 (1.31). */
    static final List<String> VERSIONS = List.of("v1.21.14", "v1.26.15", "v1.31.4");

    static final String REGISTRY = "dockerhub.kubekey.local";
    static final String OVERRIDE = "kubesphereio";

    private NetworkScenarios() {}

    /**
     * @param name golden directory name
     * @param network the {@code spec.network} block, indented by 4
     * @param kubernetesExtra more {@code spec.kubernetes} lines, indented by 4
     */
    record Scenario(String name, String version, boolean privateRegistry, String network, String kubernetesExtra) {
        ClusterConfig config() {
            return NetworkScenarios.config(version, privateRegistry, network, kubernetesExtra);
        }

        RegistryTarget target() {
            return privateRegistry ? new RegistryTarget(REGISTRY, OVERRIDE, null, false) : RegistryTarget.of("");
        }

        NetworkSettings settings() {
            return NetworkSettings.of(config(), target());
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static List<Scenario> all() {
        List<Scenario> out = new ArrayList<>();
        for (String v : VERSIONS) {
            for (boolean reg : List.of(false, true)) {
                String suffix = v.substring(0, v.lastIndexOf('.')) + (reg ? "-private" : "-dockerhub");
                out.add(new Scenario("calico-" + suffix, v, reg, "    plugin: calico\n", ""));
                out.add(new Scenario("flannel-" + suffix, v, reg, "    plugin: flannel\n", ""));
                out.add(new Scenario("cilium-" + suffix, v, reg, "    plugin: cilium\n", ""));
                out.add(new Scenario("none-" + suffix, v, reg, "    plugin: none\n", ""));
                out.add(new Scenario("kubeovn-" + suffix, v, reg, "    plugin: kubeovn\n", ""));
                out.add(new Scenario("hybridnet-" + suffix, v, reg, "    plugin: hybridnet\n", ""));
            }
        }
        // the options KubeKey exposes
        out.add(new Scenario(
                "calico-v1.31-dualstack-vxlan-multus",
                "v1.31.4",
                true,
                """
                    plugin: calico
                    kubePodsCIDR: 10.233.64.0/18,fd85:ee78:d8a6:8607::1:0000/112
                    kubeServiceCIDR: 10.233.0.0/18,fd85:ee78:d8a6:8607::1000/116
                    calico:
                      ipipMode: Never
                      vxlanMode: Always
                      vethMTU: 1440
                      ipv6NatOutgoing: true
                      controller:
                        replicas: 2
                        nodeSelector:
                          node-role.kubernetes.io/control-plane: ""
                    multusCNI:
                      enabled: true
                """,
                "    nodeCidrMaskSizeIPv6: 120\n"));
        out.add(new Scenario(
                "calico-v1.26-no-default-pool-autodetect",
                "v1.26.15",
                false,
                """
                    plugin: calico
                    calico:
                      defaultIPPOOL: false
                      ipv4NatOutgoing: false
                      ipAutoDetectionMethod: interface=eth.*
                """,
                ""));
        out.add(new Scenario(
                "flannel-v1.26-hostgw-dualstack",
                "v1.26.15",
                false,
                """
                    plugin: flannel
                    kubePodsCIDR: 10.244.0.0/16,fd00:10:244::/56
                    flannel:
                      backendMode: host-gw
                """,
                ""));
        out.add(new Scenario(
                "flannel-v1.21-vxlan-directrouting-multus",
                "v1.21.14",
                true,
                """
                    plugin: flannel
                    flannel:
                      backendMode: vxlan
                      directRouting: true
                    multusCNI:
                      enabled: true
                """,
                ""));
        out.add(new Scenario(
                "cilium-v1.31-no-kube-proxy-dualstack",
                "v1.31.4",
                true,
                """
                    plugin: cilium
                    kubePodsCIDR: 10.233.64.0/18,fd85:ee78:d8a6:8607::1:0000/112
                """,
                "    disableKubeProxy: true\n"));
        out.add(new Scenario(
                "kubeovn-v1.31-ssl-dualstack-worker-label-multus",
                "v1.31.4",
                true,
                """
                    plugin: kubeovn
                    kubePodsCIDR: 10.233.64.0/18,fd85:ee78:d8a6:8607::1:0000/112
                    kubeServiceCIDR: 10.233.0.0/18,fd85:ee78:d8a6:8607::1000/116
                    kubeovn:
                      enableSSL: true
                      label: node-role.kubernetes.io/worker
                      tunnelType: vxlan
                      svcYamlIpfamilypolicy: "ipFamilyPolicy: PreferDualStack"
                      ovs-ovn:
                        hwOffload: true
                      kube-ovn-controller:
                        checkGateway: false
                        excludeIps: 10.233.64.2..10.233.64.9
                        networkType: vlan
                        vlanInterfaceName: eth1
                        vlanID: "200"
                        enableLB: false
                      kube-ovn-cni:
                        iface: eth0
                        CNIConfigPriority: "90"
                      kube-ovn-pinger:
                        pingerExternalAddress: 192.168.0.1
                        pingerExternalDomain: kubesphere.local.
                    multusCNI:
                      enabled: true
                """,
                ""));
        out.add(new Scenario(
                "hybridnet-v1.26-networks-no-init-no-policy",
                "v1.26.15",
                true,
                """
                    plugin: hybridnet
                    hybridnet:
                      defaultNetworkType: Underlay
                      enableNetworkPolicy: false
                      init: false
                      preferVlanInterfaces: eth1,eth2
                      networks:
                      - name: net1
                        type: Underlay
                        nodeSelector:
                          network: net1
                        subnets:
                        - name: subnet-10
                          netID: 10
                          cidr: 192.168.10.0/24
                          gateway: 192.168.10.1
                          excludeIPs: [192.168.10.2]
                      - name: net2
                        type: Overlay
                        netID: 6
                        subnets:
                        - name: subnet-20
                          cidr: 172.20.0.0/16
                """,
                ""));
        return out;
    }

    static ClusterConfig config(String version, boolean privateRegistry, String network, String kubernetesExtra) {
        String text = text(version, privateRegistry, network, kubernetesExtra, "");
        LoadedCluster loaded = ConfigLoader.cluster(text, "test.yaml", KnownVersions.ANY);
        assertThat(loaded.errors()).as(text).isEmpty();
        return loaded.config();
    }

    /** The config file's text; {@code moreWorkers} are more host lines (see {@link #workers}). */
    static String text(
            String version, boolean privateRegistry, String network, String kubernetesExtra, String moreWorkers) {
        StringBuilder names = new StringBuilder();
        moreWorkers.lines().forEach(l -> names.append(", ").append(l.replaceAll(".*name: ([a-z0-9]+),.*", "$1")));
        return """
                apiVersion: kubekey.kubesphere.io/v1alpha2
                kind: Cluster
                metadata:
                  name: sample
                spec:
                  hosts:
                  - {name: master1, address: 192.168.0.2, internalAddress: 192.168.0.2, user: root, password: x}
                  - {name: worker1, address: 192.168.0.3, internalAddress: 192.168.0.3, user: root, password: x}
                %s  roleGroups:
                    etcd: [master1]
                    control-plane: [master1]
                    worker: [worker1%s]
                  controlPlaneEndpoint:
                    domain: lb.kubesphere.local
                    address: ""
                    port: 6443
                  kubernetes:
                    version: %s
                    containerManager: containerd
                %s  network:
                %s  registry:
                    privateRegistry: "%s"
                    namespaceOverride: "%s"
                """
                .formatted(
                        moreWorkers,
                        names,
                        version,
                        kubernetesExtra,
                        network,
                        privateRegistry ? REGISTRY : "",
                        privateRegistry ? OVERRIDE : "");
    }

    /** Host lines for workers 2..n+1, for clusters above KubeKey's typha threshold. */
    static String workers(int n) {
        StringBuilder b = new StringBuilder();
        for (int i = 2; i < n + 2; i++) {
            b.append("  - {name: worker" + i + ", address: 10.0.1." + i + ", internalAddress: 10.0.1." + i
                    + ", user: root, password: x}\n");
        }
        return b.toString();
    }
}
