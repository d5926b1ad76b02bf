package io.kk.cluster.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.kk.cluster.kubernetes.KubeadmConfigs;
import io.kk.plan.FakeHost;
import io.kk.plan.PlanReport;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** delete node of an etcd member: no kube-apiserver keeps pointing at it. */
class EtcdEndpointsTest {
    static String manifest(String host, String servers) {
        return """
                apiVersion: v1
                kind: Pod
                metadata:
                  name: kube-apiserver
                  namespace: kube-system
                spec:
                  containers:
                  - command:
                    - kube-apiserver
                    - --advertise-address=%1$s
                    - --etcd-cafile=/etc/ssl/etcd/ssl/ca.pem
                    - --etcd-certfile=/etc/ssl/etcd/ssl/node-%2$s.pem
                    - --etcd-keyfile=/etc/ssl/etcd/ssl/node-%2$s-key.pem
                    - --etcd-servers=%3$s
                    - --secure-port=6443
                    image: dockerhub.kubekey.local/kubesphereio/kube-apiserver:v1.26.15
                    name: kube-apiserver
                """
                .formatted(host.equals("node1") ? "10.0.0.1" : "10.0.0.2", host, servers);
    }

    static String clusterConfiguration(String... endpoints) {
        StringBuilder list = new StringBuilder();
        for (String e : endpoints) {
            list.append("    - ").append(e).append('\n');
        }
        return """
                apiServer:
                  certSANs:
                  - lb.kubesphere.local
                  - 10.0.0.3
                apiVersion: kubeadm.k8s.io/v1beta3
                etcd:
                  external:
                    caFile: /etc/ssl/etcd/ssl/ca.pem
                    certFile: /etc/ssl/etcd/ssl/node-node1.pem
                    endpoints:
                %s    keyFile: /etc/ssl/etcd/ssl/node-node1-key.pem
                kind: ClusterConfiguration
                """
                .formatted(list);
    }

    static final String ALL = "https://10.0.0.1:2379,https://10.0.0.2:2379,https://10.0.0.3:2379";
    static final String LEFT = "https://10.0.0.1:2379,https://10.0.0.2:2379";

    @Test
    void theRemainingControlPlanesManifestsKubeadmConfigAndTheConfigMapLoseTheMemberOnceAndInOrder() throws Exception {
        Hosts hosts = new Hosts(DeleteNodePlanTest.INV);
        AtomicReference<String> configMap = new AtomicReference<>(
                clusterConfiguration("https://10.0.0.1:2379", "https://10.0.0.2:2379", "https://10.0.0.3:2379"));
        String localConfig = "apiVersion: kubeadm.k8s.io/v1beta3\nkind: InitConfiguration\n---\n" + configMap.get();
        for (String n : new String[] {"node1", "node2"}) {
            hosts.host(n).files.put(EtcdEndpoints.APISERVER_MANIFEST, manifest(n, ALL));
            hosts.host(n).files.put(KubeadmConfigs.PATH, localConfig);
        }
        hosts.host("node1")
                .answer(".*endpoint health", DeleteNodePlanTest.HEALTH_ALL)
                .answer(".*member list", DeleteNodePlanTest.MEMBERS)
                .on(".* get configmap kubeadm-config .*", m -> FakeHost.ok(configMap.get()))
                .on("(?s).* patch configmap kubeadm-config --type merge -p (.*)", m -> {
                    try {
                        configMap.set(new ObjectMapper()
                                .readTree(FakeHost.unquote(m.group(1)))
                                .path("data")
                                .path("ClusterConfiguration")
                                .asText());
                    } catch (Exception e) {
                        return FakeHost.result(1, "", e.toString());
                    }
                    return FakeHost.ok("configmap/kubeadm-config patched");
                });
        var request = DeleteNodePlanTest.request(DeleteNodePlanTest.INV, "node3");
        PlanReport report = hosts.run(DeleteNodePlan.pipeline(request), DeleteNodePlanTest.INV);

        assertThat(report.ok()).as(report.toString()).isTrue();
        String leftConfig = clusterConfiguration("https://10.0.0.1:2379", "https://10.0.0.2:2379");
        for (String n : new String[] {"node1", "node2"}) {
            assertThat(hosts.host(n).files.get(EtcdEndpoints.APISERVER_MANIFEST))
                    .isEqualTo(manifest(n, LEFT));
            assertThat(hosts.host(n).modes.get(EtcdEndpoints.APISERVER_MANIFEST))
                    .isEqualTo(0600);
            assertThat(hosts.host(n).files.get(KubeadmConfigs.PATH))
                    .isEqualTo("apiVersion: kubeadm.k8s.io/v1beta3\nkind: InitConfiguration\n---\n" + leftConfig);
        }
        assertThat(configMap.get()).isEqualTo(leftConfig);
        // one control plane at a time, each serving again before the next; the ConfigMap; then the member goes
        String wait = EtcdEndpoints.waitApiserver(LEFT, 6443);
        assertThat(hosts.matching(
                        "\\(upload\\) /etc/kubernetes/manifests", "grep -qxF", "patch configmap", "member remove"))
                .containsExactly(
                        "node1: (upload) " + EtcdEndpoints.APISERVER_MANIFEST,
                        "node1: " + wait,
                        "node2: (upload) " + EtcdEndpoints.APISERVER_MANIFEST,
                        "node2: " + wait,
                        "node1: " + EtcdEndpoints.patchClusterConfiguration(leftConfig),
                        "node1: "
                                + DeleteNodePlan.retryWhileSettling(
                                        "ETCDCTL_API=3 /usr/local/bin/etcdctl --endpoints=https://10.0.0.1:2379"
                                                + " --cacert=/etc/ssl/etcd/ssl/ca.pem --cert=/etc/ssl/etcd/ssl/admin-node1.pem"
                                                + " --key=/etc/ssl/etcd/ssl/admin-node1-key.pem member remove"
                                                + " fd422379fda50e48"));
        assertThat(wait)
                .isEqualTo("for i in $(seq 1 180); do ps -eo args | grep '^kube-apiserver ' | tr ' ' '\\n'"
                        + " | grep -qxF -- --etcd-servers=https://10.0.0.1:2379,https://10.0.0.2:2379"
                        + " && (exec 3<>/dev/tcp/127.0.0.1/6443) 2>/dev/null && exit 0; sleep 1; done;"
                        + " echo 'kube-apiserver did not come back with"
                        + " --etcd-servers=https://10.0.0.1:2379,https://10.0.0.2:2379 within 180 s' >&2; exit 1");
        assertThat(hosts.matching("node3: .*kube-apiserver", "node4: .*kube-apiserver"))
                .isEmpty();

        // a rerun writes nothing, waits for nothing, patches nothing
        hosts.clear();
        assertThat(hosts.run(DeleteNodePlan.pipeline(request), DeleteNodePlanTest.INV)
                        .ok())
                .isTrue();
        assertThat(hosts.matching("\\(upload\\) /etc/kubernetes/", "--etcd-servers", "patch configmap"))
                .isEmpty();
        assertThat(configMap.get()).isEqualTo(leftConfig);
    }

    @Test
    void onlyTheRemovedUrlGoesAndTextWithoutItIsReturnedAsItIs() {
        assertThat(EtcdEndpoints.manifestWithout(manifest("node1", ALL), "https://10.0.0.1:2379"))
                .isEqualTo(manifest("node1", "https://10.0.0.2:2379,https://10.0.0.3:2379"));
        String m = manifest("node1", LEFT);
        assertThat(EtcdEndpoints.manifestWithout(m, "https://10.0.0.3:2379")).isSameAs(m);
        // a certSANs item that is no URL and an endpoints list elsewhere stay
        String c = clusterConfiguration("https://10.0.0.1:2379");
        assertThat(EtcdEndpoints.clusterConfigurationWithout(c, "10.0.0.3")).isSameAs(c);
        assertThat(EtcdEndpoints.clusterConfigurationWithout(c, "https://10.0.0.1:2379"))
                .isEqualTo(clusterConfiguration());
    }
}
