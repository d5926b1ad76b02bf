package io.kk.cluster.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NodeFilesTest {

    @Test
    void controlPlanesGetKubeVipAndAuditWorkersOnlyKubelet() {
        KubeadmSettings s = KubeadmSettings.builder("v1.30.14")
                .nodes(Scenarios.ha())
                .controlPlaneEndpoint(Scenarios.kubeVip())
                .etcd(Scenarios.kubekeyEtcd(Scenarios.ha()))
                .audit(true)
                .build();
        assertThat(NodeFiles.beforeKubeadm(s, "master1", "master1", "eth0"))
                .containsOnlyKeys(
                        "/etc/systemd/system/kubelet.service",
                        "/etc/systemd/system/kubelet.service.d/10-kubeadm.conf",
                        "/etc/kubernetes/audit/audit-policy.yaml",
                        "/etc/kubernetes/audit/audit-webhook.yaml",
                        "/etc/kubernetes/manifests/kube-vip.yaml");
        assertThat(NodeFiles.beforeKubeadm(s, "master1", "master1", "eth0")
                        .get("/etc/kubernetes/manifests/kube-vip.yaml"))
                .contains("super-admin.conf", "value: eth0");
        assertThat(NodeFiles.beforeKubeadm(s, "master2", "master1", "bond0")
                        .get("/etc/kubernetes/manifests/kube-vip.yaml"))
                .doesNotContain("super-admin.conf")
                .contains("value: bond0");
        assertThat(NodeFiles.beforeKubeadm(s, "worker1", "master1", "eth0"))
                .containsOnlyKeys(
                        "/etc/systemd/system/kubelet.service", "/etc/systemd/system/kubelet.service.d/10-kubeadm.conf");
        assertThat(NodeFiles.internalLoadBalancer(s, "worker1")).isEmpty();
    }

    @Test
    void haproxyOnlyOnPureWorkers() {
        KubeadmSettings s = KubeadmSettings.builder("v1.26.15")
                .nodes(Scenarios.ha())
                .controlPlaneEndpoint(Scenarios.haproxy())
                .etcd(Scenarios.kubekeyEtcd(Scenarios.ha()))
                .build();
        assertThat(NodeFiles.internalLoadBalancer(s, "worker2"))
                .containsOnlyKeys("/etc/kubekey/haproxy/haproxy.cfg", "/etc/kubernetes/manifests/haproxy.yaml");
        assertThat(NodeFiles.internalLoadBalancer(s, "master2")).isEmpty();
        assertThat(NodeFiles.beforeKubeadm(s, "master2", "master1", "eth0")).hasSize(2);
    }
}
