package io.kk.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.kk.error.Problem;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Each malformed config yields an error at the exact path and line, with the exact message. */
class MalformedClusterConfigTest {
    static final String BASE =
            """
            apiVersion: kubekey.kubesphere.io/v1alpha2
            kind: Cluster
            metadata:
              name: t
            spec:
              hosts:
              - {name: node1, address: 10.0.0.1}
              - {name: node2, address: 10.0.0.2}
              - {name: node3, address: 10.0.0.3}
              roleGroups:
                etcd: [node1]
                control-plane: [node1]
                worker: [node2, node3]
              kubernetes:
                version: v1.28.2
              network:
                kubePodsCIDR: 10.233.64.0/18
                kubeServiceCIDR: 10.233.0.0/18
            """;

    /** BASE with one line replaced (by zero or more lines). */
    static String with(String line, String replacement) {
        assertThat(BASE).contains(line + "\n");
        return BASE.replace(line + "\n", replacement.isEmpty() ? "" : replacement + "\n");
    }

    static String plus(String extra) {
        return BASE + extra + "\n";
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                // --- YAML itself
                Arguments.of(
                        "bad YAML: mapping value where none belongs",
                        with("    version: v1.28.2", "    version: v1.28.2: x"),
                        "spec.kubernetes.version",
                        15,
                        "invalid YAML at column 21: mapping values are not allowed here"),
                Arguments.of(
                        "bad YAML: tab indentation",
                        with("    version: v1.28.2", "\tversion: v1.28.2"),
                        "spec.kubernetes",
                        15,
                        "invalid YAML at column 1: found character '\\t(TAB)' that cannot start any token. (Do not use \\t(TAB) for"
                                + " indentation) (while scanning for the next token)"),
                Arguments.of(
                        "bad YAML: unclosed flow mapping",
                        with("  - {name: node3, address: 10.0.0.3}", "  - {name: node3, address: 10.0.0.3"),
                        "spec.roleGroups",
                        10,
                        "invalid YAML at column 13: expected ',' or '}', but got : (while parsing a flow mapping)"),
                Arguments.of(
                        "duplicate key",
                        with("    version: v1.28.2", "    version: v1.28.2\n    version: v1.27.1"),
                        "spec.kubernetes.version",
                        16,
                        "duplicate key \"version\""),
                Arguments.of("empty file", "", "", 0, "the file is empty"),
                // --- document identity
                Arguments.of(
                        "missing apiVersion",
                        with("apiVersion: kubekey.kubesphere.io/v1alpha2", ""),
                        "apiVersion",
                        1,
                        "apiVersion is missing"),
                Arguments.of(
                        "another API's Cluster (v1alpha1 is read as KubeKey does: CompatFixturesTest)",
                        with("apiVersion: kubekey.kubesphere.io/v1alpha2", "apiVersion: cluster.x-k8s.io/v1beta1"),
                        "apiVersion",
                        1,
                        "unsupported apiVersion \"cluster.x-k8s.io/v1beta1\""),
                Arguments.of(
                        "wrong kind",
                        with("kind: Cluster", "kind: Manifest"),
                        "kind",
                        2,
                        "kind \"Manifest\" is not a Cluster config"),
                Arguments.of("missing kind", with("kind: Cluster", ""), "kind", 1, "kind is missing"),
                // --- wrong types
                Arguments.of(
                        "hosts is a map",
                        with(
                                "  - {name: node1, address: 10.0.0.1}\n  - {name: node2, address: 10.0.0.2}\n  - {name: node3, address: 10.0.0.3}",
                                "    name: node1"),
                        "spec.hosts",
                        7,
                        "expected a list, found a map"),
                Arguments.of(
                        "port is not a number",
                        with("  - {name: node1, address: 10.0.0.1}", "  - {name: node1, address: 10.0.0.1, port: ssh}"),
                        "spec.hosts[0].port",
                        7,
                        "expected an integer, found \"ssh\""),
                Arguments.of(
                        "worker is a string",
                        with("    worker: [node2, node3]", "    worker: node2"),
                        "spec.roleGroups.worker",
                        13,
                        "expected a list, found \"node2\""),
                Arguments.of(
                        "maxPods is not a number",
                        with("    version: v1.28.2", "    version: v1.28.2\n    maxPods: many"),
                        "spec.kubernetes.maxPods",
                        16,
                        "expected an integer, found \"many\""),
                Arguments.of(
                        "autoRenewCerts is not a boolean",
                        with("    version: v1.28.2", "    version: v1.28.2\n    autoRenewCerts: maybe"),
                        "spec.kubernetes.autoRenewCerts",
                        16,
                        "expected true or false, found \"maybe\""),
                Arguments.of(
                        "featureGates is a list",
                        with("    version: v1.28.2", "    version: v1.28.2\n    featureGates: [a]"),
                        "spec.kubernetes.featureGates",
                        16,
                        "expected a map, found a list"),
                Arguments.of(
                        "a host name is a list",
                        with("    etcd: [node1]", "    etcd: [[node1]]"),
                        "spec.roleGroups.etcd[0]",
                        11,
                        "expected a string, found a list"),
                // --- hosts
                Arguments.of(
                        "host written as a bare name",
                        with("  - {name: node3, address: 10.0.0.3}", "  - node3"),
                        "spec.hosts[2]",
                        9,
                        "expected a map, found \"node3\""),
                Arguments.of(
                        "host without a name",
                        with("  - {name: node3, address: 10.0.0.3}", "  - {address: 10.0.0.3}"),
                        "spec.hosts[2].name",
                        9,
                        "host has no name"),
                Arguments.of(
                        "duplicate host name",
                        with("  - {name: node3, address: 10.0.0.3}", "  - {name: node2, address: 10.0.0.3}"),
                        "spec.hosts[2].name",
                        9,
                        "duplicate host name \"node2\" (also spec.hosts[1])"),
                Arguments.of(
                        "duplicate address",
                        with("  - {name: node3, address: 10.0.0.3}", "  - {name: node3, address: 10.0.0.1}"),
                        "spec.hosts[2].address",
                        9,
                        "duplicate address 10.0.0.1 (also host \"node1\")"),
                Arguments.of(
                        "bad address",
                        with("  - {name: node3, address: 10.0.0.3}", "  - {name: node3, address: 10.0.0.256}"),
                        "spec.hosts[2].address",
                        9,
                        "address \"10.0.0.256\" is not an IP address or host name"),
                Arguments.of(
                        "bad internalAddress",
                        with(
                                "  - {name: node3, address: 10.0.0.3}",
                                "  - {name: node3, address: 10.0.0.3, internalAddress: node3.local}"),
                        "spec.hosts[2].internalAddress",
                        9,
                        "internalAddress \"node3.local\" is not an IP address (or \"ipv4,ipv6\")"),
                Arguments.of(
                        "port out of range",
                        with(
                                "  - {name: node1, address: 10.0.0.1}",
                                "  - {name: node1, address: 10.0.0.1, port: 70000}"),
                        "spec.hosts[0].port",
                        7,
                        "port 70000 is out of range"),
                Arguments.of(
                        "bad arch",
                        with(
                                "  - {name: node1, address: 10.0.0.1}",
                                "  - {name: node1, address: 10.0.0.1, arch: x86_64}"),
                        "spec.hosts[0].arch",
                        7,
                        "unsupported arch \"x86_64\""),
                Arguments.of(
                        "negative timeout",
                        with(
                                "  - {name: node1, address: 10.0.0.1}",
                                "  - {name: node1, address: 10.0.0.1, timeout: -1}"),
                        "spec.hosts[0].timeout",
                        7,
                        "timeout must be positive, found -1"),
                Arguments.of(
                        "host inside the pod network",
                        with("  - {name: node3, address: 10.0.0.3}", "  - {name: node3, address: 10.233.64.3}"),
                        "spec.hosts[2].internalAddress",
                        9,
                        "host address 10.233.64.3 lies inside the pod or service network"),
                Arguments.of(
                        "no hosts",
                        with(
                                "  hosts:\n  - {name: node1, address: 10.0.0.1}\n  - {name: node2, address: 10.0.0.2}\n  - {name: node3, address: 10.0.0.3}",
                                ""),
                        "spec.hosts",
                        5,
                        "no hosts"),
                // --- roles
                Arguments.of(
                        "undefined host",
                        with("    worker: [node2, node3]", "    worker: [node2, node4]"),
                        "spec.roleGroups.worker[1]",
                        13,
                        "[node4] is in [worker] group, but not in hosts list"),
                Arguments.of(
                        "range reaching undefined hosts",
                        with("    worker: [node2, node3]", "    worker: [\"node[2:5]\"]"),
                        "spec.roleGroups.worker[0]",
                        13,
                        "[node4], [node5] are in [worker] group, but not in hosts list"),
                Arguments.of(
                        "bad range syntax",
                        with("    worker: [node2, node3]", "    worker: [\"node[2-3]\"]"),
                        "spec.roleGroups.worker[0]",
                        13,
                        "bad host range \"node[2-3]\""),
                Arguments.of(
                        "reversed range",
                        with("    worker: [node2, node3]", "    worker: [\"node[3:2]\"]"),
                        "spec.roleGroups.worker[0]",
                        13,
                        "bad host range \"node[3:2]\": start 3 is after end 2"),
                Arguments.of(
                        "no control plane",
                        with("    control-plane: [node1]", ""),
                        "spec.roleGroups",
                        11,
                        "The number of master/control-plane cannot be 0"),
                Arguments.of(
                        "no etcd with type kubekey",
                        with("    etcd: [node1]", "    etcd: []"),
                        "spec.roleGroups",
                        11,
                        "The number of etcd cannot be 0"),
                Arguments.of(
                        "two registry hosts",
                        with("    worker: [node2, node3]", "    worker: [node2, node3]\n    registry: [node2, node3]"),
                        "spec.roleGroups.registry",
                        14,
                        "only one registry host is allowed, found 2: node2, node3"),
                // --- etcd
                Arguments.of(
                        "unknown etcd type",
                        plus("  etcd: {type: etcdadm}"),
                        "spec.etcd.type",
                        19,
                        "unknown etcd type \"etcdadm\""),
                Arguments.of(
                        "external etcd without endpoints",
                        plus("  etcd:\n    type: external"),
                        "spec.etcd.external.endpoints",
                        19,
                        "external etcd needs endpoints"),
                Arguments.of(
                        "external etcd over https without certificates",
                        plus(
                                "  etcd:\n    type: external\n    external:\n      endpoints: [\"https://10.0.0.9:2379\"]\n      caFile: /ca.pem"),
                        "spec.etcd.external",
                        22,
                        "external etcd over TLS needs caFile, certFile and keyFile"),
                Arguments.of(
                        "etcd port equals peerPort",
                        plus("  etcd:\n    port: 2380"),
                        "spec.etcd.peerPort",
                        19,
                        "etcd port and peerPort are both 2380"),
                // --- network
                Arguments.of(
                        "bad pod CIDR",
                        with("    kubePodsCIDR: 10.233.64.0/18", "    kubePodsCIDR: 10.233.64.0/33"),
                        "spec.network.kubePodsCIDR",
                        17,
                        "bad CIDR \"10.233.64.0/33\""),
                Arguments.of(
                        "service CIDR without prefix",
                        with("    kubeServiceCIDR: 10.233.0.0/18", "    kubeServiceCIDR: 10.233.0.0"),
                        "spec.network.kubeServiceCIDR",
                        18,
                        "bad CIDR \"10.233.0.0\""),
                Arguments.of(
                        "overlapping CIDRs",
                        with("    kubeServiceCIDR: 10.233.0.0/18", "    kubeServiceCIDR: 10.233.96.0/20"),
                        "spec.network.kubeServiceCIDR",
                        18,
                        "kubeServiceCIDR 10.233.96.0/20 overlaps kubePodsCIDR 10.233.64.0/18"),
                Arguments.of(
                        "node mask larger than the pod network",
                        with("    version: v1.28.2", "    version: v1.28.2\n    nodeCidrMaskSize: 16"),
                        "spec.kubernetes.nodeCidrMaskSize",
                        16,
                        "nodeCidrMaskSize 16 is larger than kubePodsCIDR /18"),
                // --- kubernetes
                Arguments.of(
                        "version without v and patch",
                        with("    version: v1.28.2", "    version: 1.28"),
                        "spec.kubernetes.version",
                        15,
                        "malformed Kubernetes version \"1.28\""),
                Arguments.of(
                        "version without patch",
                        with("    version: v1.28.2", "    version: v1.28"),
                        "spec.kubernetes.version",
                        15,
                        "malformed Kubernetes version \"v1.28\""),
                Arguments.of(
                        "docker with Kubernetes 1.24+",
                        with("    version: v1.28.2", "    version: v1.28.2\n    containerManager: docker"),
                        "spec.kubernetes.containerManager",
                        16,
                        "containerManager docker is not supported with Kubernetes v1.28.2 (dockershim was removed in v1.24)"),
                Arguments.of(
                        "unknown container manager",
                        with("    version: v1.28.2", "    version: v1.28.2\n    containerManager: cri-o"),
                        "spec.kubernetes.containerManager",
                        16,
                        "unknown containerManager \"cri-o\""),
                Arguments.of(
                        "apiserver arg with --",
                        with("    version: v1.28.2", "    version: v1.28.2\n    apiserverArgs: [\"--v\"]"),
                        "spec.kubernetes.apiserverArgs[0]",
                        16,
                        "argument \"--v\" is not key=value"),
                Arguments.of(
                        "unknown proxy mode",
                        with("    version: v1.28.2", "    version: v1.28.2\n    proxyMode: nftables"),
                        "spec.kubernetes.proxyMode",
                        16,
                        "unknown proxyMode \"nftables\""),
                // --- control plane endpoint
                Arguments.of(
                        "haproxy together with an address",
                        plus("  controlPlaneEndpoint:\n    internalLoadbalancer: haproxy\n    address: 10.0.0.100"),
                        "spec.controlPlaneEndpoint.address",
                        21,
                        "You cannot set up the internal load balancer and the LB address at the same time."),
                Arguments.of(
                        "kube-vip without a VIP",
                        plus("  controlPlaneEndpoint:\n    internalLoadbalancer: kube-vip"),
                        "spec.controlPlaneEndpoint.address",
                        19,
                        "kube-vip needs a virtual IP in address"),
                Arguments.of(
                        "unknown load balancer",
                        plus("  controlPlaneEndpoint:\n    internalLoadbalancer: nginx"),
                        "spec.controlPlaneEndpoint.internalLoadbalancer",
                        20,
                        "unknown internalLoadbalancer \"nginx\""),
                Arguments.of(
                        "endpoint port out of range",
                        plus("  controlPlaneEndpoint: {port: 0x10000}"),
                        "spec.controlPlaneEndpoint.port",
                        19,
                        "expected an integer, found \"0x10000\""),
                // --- registry, addons
                Arguments.of(
                        "bad privateRegistry",
                        plus("  registry:\n    privateRegistry: \"https://reg.local\""),
                        "spec.registry.privateRegistry",
                        20,
                        "bad privateRegistry \"https://reg.local\""),
                Arguments.of(
                        "ipip and vxlan both on",
                        with(
                                "    kubeServiceCIDR: 10.233.0.0/18",
                                "    kubeServiceCIDR: 10.233.0.0/18\n    calico: {vxlanMode: Always}"),
                        "spec.network.calico.vxlanMode",
                        19,
                        "ipipMode and vxlanMode cannot both be on"),
                Arguments.of(
                        "script without bash",
                        plus("  system:\n    preInstall:\n    - name: disk"),
                        "spec.system.preInstall[0].bash",
                        21,
                        "script \"disk\" has no bash command"),
                Arguments.of(
                        "addon without source",
                        plus("  addons:\n  - name: x"),
                        "spec.addons[0].sources",
                        20,
                        "addon \"x\" has no source"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void reportsTheExactProblem(String name, String yaml, String path, int line, String message) {
        LoadedCluster loaded = ConfigLoader.cluster(yaml, "bad.yaml", KnownVersions.ANY);
        assertThat(loaded.hasErrors()).as("has errors").isTrue();
        assertThat(loaded.errors())
                .as(loaded.problems().stream().map(Problem::describe).toList().toString())
                .anySatisfy(p -> {
                    assertThat(p.path()).isEqualTo(path);
                    assertThat(p.line()).isEqualTo(line);
                    assertThat(p.message()).isEqualTo(message);
                    assertThat(p.file()).isEqualTo("bad.yaml");
                    assertThat(p.hint()).isNotEmpty();
                });
    }

    @Test
    void allProblemsOfAFileAreReportedAtOnce() {
        String yaml = with(
                        "  - {name: node1, address: 10.0.0.1}",
                        "  - {name: node1, address: 10.0.0.1, port: ssh, arch: s390x}")
                .replace("    worker: [node2, node3]", "    worker: [node2, node9]")
                .replace("v1.28.2", "1.28")
                .replace("10.233.0.0/18", "10.233.64.0/24");
        LoadedCluster loaded = ConfigLoader.cluster(yaml, "bad.yaml", KnownVersions.ANY);
        assertThat(loaded.errors())
                .extracting(Problem::path)
                .containsExactlyInAnyOrder(
                        "spec.hosts[0].port",
                        "spec.hosts[0].arch",
                        "spec.roleGroups.worker[1]",
                        "spec.kubernetes.version",
                        "spec.network.kubeServiceCIDR");
    }

    @Test
    void evenEtcdAndUnbalancedControlPlanesAreWarnings() {
        String yaml = with("    etcd: [node1]", "    etcd: [node1, node2]")
                .replace("    control-plane: [node1]", "    control-plane: [node1, node2]");
        LoadedCluster loaded = ConfigLoader.cluster(yaml, "w.yaml", KnownVersions.ANY);
        assertThat(loaded.hasErrors()).isFalse();
        assertThat(loaded.warnings())
                .extracting(Problem::path, Problem::line)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("spec.roleGroups.etcd", 11),
                        org.assertj.core.groups.Tuple.tuple("spec.controlPlaneEndpoint", 5));
        assertThat(loaded.warnings().get(0).message())
                .isEqualTo("an even number of etcd members (2) tolerates no more failures than 1");
    }
}
