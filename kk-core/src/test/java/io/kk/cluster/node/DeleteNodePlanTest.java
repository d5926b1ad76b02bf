package io.kk.cluster.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kk.error.ErrorKind;
import io.kk.error.KkException;
import io.kk.plan.FakeHost;
import io.kk.plan.Inventory;
import io.kk.plan.PlanReport;
import io.kk.plan.Role;
import io.kk.plan.Target;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DeleteNodePlanTest {
    static final Inventory INV = Inventory.of(
            Target.of("node1", "10.0.0.1", "amd64", Role.CONTROL_PLANE, Role.ETCD),
            Target.of("node2", "10.0.0.2", "amd64", Role.CONTROL_PLANE, Role.ETCD),
            Target.of("node3", "10.0.0.3", "amd64", Role.WORKER, Role.ETCD),
            Target.of("node4", "10.0.0.4", "amd64", Role.WORKER));

    static DeleteNodeRequest request(Inventory inv, String node) {
        return new DeleteNodeRequest(
                inv,
                node,
                "unix:///run/containerd/containerd.sock",
                true,
                2379,
                "/var/lib/etcd",
                "/usr/local/bin/kube-scripts/etcd-backup.sh",
                Duration.ofSeconds(90));
    }

    static final String HEALTH_ALL =
            """
            https://10.0.0.1:2379 is healthy: successfully committed proposal: took = 2.1ms
            https://10.0.0.2:2379 is healthy: successfully committed proposal: took = 2.4ms
            https://10.0.0.3:2379 is healthy: successfully committed proposal: took = 1.9ms
            """;

    static final String MEMBERS =
            """
            8e9e05c52164694d, started, etcd-node1, https://10.0.0.1:2380, https://10.0.0.1:2379, false
            91bc3c398fb3c146, started, etcd-node2, https://10.0.0.2:2380, https://10.0.0.2:2379, false
            fd422379fda50e48, started, etcd-node3, https://10.0.0.3:2380, https://10.0.0.3:2379, false
            """;

    @Test
    void anEtcdWorkerIsDrainedItsMemberRemovedThenResetAndDeletedInThatOrder() {
        Hosts hosts = new Hosts(INV);
        hosts.host("node1").answer(".*endpoint health", HEALTH_ALL).answer(".*member list", MEMBERS);
        PlanReport report = hosts.run(DeleteNodePlan.pipeline(request(INV, "node3")), INV);

        assertThat(report.ok()).as(report.toString()).isTrue();
        String etcdctl = "ETCDCTL_API=3 /usr/local/bin/etcdctl --endpoints=https://10.0.0.1:2379"
                + " --cacert=/etc/ssl/etcd/ssl/ca.pem --cert=/etc/ssl/etcd/ssl/admin-node1.pem"
                + " --key=/etc/ssl/etcd/ssl/admin-node1-key.pem";
        assertThat(hosts.matching("kubectl", "etcdctl", "kubeadm reset", "rm -rf"))
                .containsExactly(
                        "node1: ETCDCTL_API=3 /usr/local/bin/etcdctl"
                                + " --endpoints=https://10.0.0.1:2379,https://10.0.0.2:2379,https://10.0.0.3:2379"
                                + " --cacert=/etc/ssl/etcd/ssl/ca.pem --cert=/etc/ssl/etcd/ssl/admin-node1.pem"
                                + " --key=/etc/ssl/etcd/ssl/admin-node1-key.pem endpoint health",
                        "node1: /usr/local/bin/kubectl --kubeconfig /etc/kubernetes/admin.conf cordon node3",
                        "node1: /usr/local/bin/kubectl --kubeconfig /etc/kubernetes/admin.conf drain node3"
                                + " --ignore-daemonsets --delete-emptydir-data --force --timeout=90s",
                        "node1: test -x /usr/local/bin/kubectl && test -f /etc/kubernetes/admin.conf",
                        "node1: " + EtcdEndpoints.readClusterConfiguration(),
                        "node1: " + etcdctl + " member list",
                        "node1: " + DeleteNodePlan.retryWhileSettling(etcdctl + " member remove fd422379fda50e48"),
                        "node1: for i in $(seq 1 60); do out=$(ETCDCTL_API=3 /usr/local/bin/etcdctl"
                                + " --endpoints=https://10.0.0.1:2379,https://10.0.0.2:2379"
                                + " --cacert=/etc/ssl/etcd/ssl/ca.pem --cert=/etc/ssl/etcd/ssl/admin-node1.pem"
                                + " --key=/etc/ssl/etcd/ssl/admin-node1-key.pem endpoint health 2>&1) && exit 0;"
                                + " sleep 1; done; echo \"$out\" >&2; exit 1",
                        "node3: if [ -x /usr/local/bin/kubeadm ]; then /usr/local/bin/kubeadm reset -f --cri-socket"
                                + " unix:///run/containerd/containerd.sock; fi",
                        "node3: " + DeleteNodePlan.kubeCleanup(request(INV, "node3")),
                        "node3: " + DeleteNodePlan.etcdCleanup(request(INV, "node3")),
                        "node1: /usr/local/bin/kubectl --kubeconfig /etc/kubernetes/admin.conf delete node node3"
                                + " --ignore-not-found");
        assertThat(DeleteNodePlan.etcdCleanup(request(INV, "node3")))
                .isEqualTo("for u in backup-etcd.timer etcd; do systemctl disable --now $u >/dev/null 2>&1 || true;"
                        + " done; rm -rf /etc/systemd/system/etcd.service /etc/etcd.env"
                        + " /etc/systemd/system/backup-etcd.service /etc/systemd/system/backup-etcd.timer"
                        + " /usr/local/bin/kube-scripts/etcd-backup.sh /var/lib/etcd /etc/ssl/etcd /usr/local/bin/etcd"
                        + " /usr/local/bin/etcdctl && systemctl daemon-reload");
    }

    @Test
    void removingAMemberWhileAnotherIsDownIsRefusedBeforeAnyChange() {
        Hosts hosts = new Hosts(INV);
        hosts.host("node1")
                .on(
                        ".*endpoint health",
                        m -> FakeHost.result(
                                1,
                                """
                                https://10.0.0.1:2379 is healthy: successfully committed proposal: took = 2.1ms
                                https://10.0.0.3:2379 is healthy: successfully committed proposal: took = 1.9ms
                                """,
                                "https://10.0.0.2:2379 is unhealthy: failed to commit proposal: context deadline"
                                        + " exceeded\nError: unhealthy cluster"));
        PlanReport report = hosts.run(DeleteNodePlan.pipeline(request(INV, "node3")), INV);

        assertThat(report.ok()).isFalse();
        var failure = report.failedHosts().get(0).failure().orElseThrow();
        assertThat(failure.kind()).isEqualTo(ErrorKind.ENVIRONMENT);
        assertThat(failure.message())
                .isEqualTo("removing etcd member node3 would break quorum: 2 member(s) would be left, 1 of them"
                        + " healthy, and a quorum needs 2 (now 2 of 3 healthy, the removal itself needs 2)");
        assertThat(failure.hint()).startsWith("bring the unhealthy member(s) [node2] back first");
        assertThat(hosts.matching("cordon", "drain", "member remove", "reset", "rm -rf", "delete node"))
                .isEmpty();
    }

    @Test
    void theLastControlPlaneAndTheLastEtcdMemberAreRefusedWithAHint() {
        Inventory one = Inventory.of(
                Target.of("node1", "10.0.0.1", "amd64", Role.CONTROL_PLANE, Role.ETCD),
                Target.of("node2", "10.0.0.2", "amd64", Role.WORKER));
        assertThatThrownBy(() -> DeleteNodePlan.pipeline(request(one, "node1")))
                .isInstanceOf(KkException.class)
                .hasMessage("node1 is the last control plane: deleting it would leave no cluster")
                .satisfies(e -> assertThat(((KkException) e).hint()).startsWith("add another control plane first"));
        Inventory lastMember = Inventory.of(
                Target.of("node1", "10.0.0.1", "amd64", Role.CONTROL_PLANE),
                Target.of("node2", "10.0.0.2", "amd64", Role.CONTROL_PLANE, Role.ETCD));
        assertThatThrownBy(() -> DeleteNodePlan.pipeline(request(lastMember, "node2")))
                .hasMessage("node2 is the last etcd member: removing it would delete the cluster's data");
        assertThatThrownBy(() -> DeleteNodePlan.pipeline(request(INV, "node9")))
                .hasMessage("no host named 'node9' in the config");
    }

    @Test
    void quorumRule() {
        List<String> three = List.of("a", "b", "c");
        EtcdQuorum.checkRemoval(three, "c", Set.of("a", "b", "c"));
        // the member going is already down: the other two still make a quorum of three and of two
        EtcdQuorum.checkRemoval(three, "c", Set.of("a", "b"));
        assertThatThrownBy(() -> EtcdQuorum.checkRemoval(three, "c", Set.of("a", "c")))
                .hasMessageContaining("would break quorum");
        // four members, the removed one and another down: two healthy cannot commit in a cluster of four
        assertThatThrownBy(() -> EtcdQuorum.checkRemoval(List.of("a", "b", "c", "d"), "d", Set.of("a", "b")))
                .hasMessageContaining("the removal itself needs 3");
        // not a member: nothing to check
        EtcdQuorum.checkRemoval(three, "x", Set.of());
    }

    @Test
    void aDrainThatTimesOutReportsThePodsThatStayedAndTheNodeIsNotReset() {
        Hosts hosts = new Hosts(INV);
        hosts.host("node1")
                .on(
                        ".*drain node4.*",
                        m -> FakeHost.result(
                                1,
                                "node/node4 cordoned\nevicting pod default/web-1\n",
                                "error when evicting pods/\"web-1\" -n \"default\" (will retry after 5s): Cannot evict"
                                        + " pod as it would violate the pod's disruption budget.\nerror: unable to"
                                        + " drain node \"node4\" due to error: [error when evicting pods/\"web-1\" -n"
                                        + " \"default\": global timeout reached: 1m30s], continuing command..."));
        PlanReport report = hosts.run(DeleteNodePlan.pipeline(request(INV, "node4")), INV);

        var failure = report.failedHosts().get(0).failure().orElseThrow();
        assertThat(failure.message())
                .isEqualTo("node1: drain of node4 did not finish within 90s: 1 pod(s) would not leave:\n"
                        + "  default/web-1: Cannot evict pod as it would violate the pod's disruption budget.");
        assertThat(failure.hint()).contains("give a longer --timeout").contains("node4 stays cordoned");
        assertThat(hosts.matching("reset", "delete node")).isEmpty();
    }

    @Test
    void aNodeWithoutKubeletSkipsTheKubernetesStepsWithANoteButItsFilesAreStillRemoved() {
        Hosts hosts = new Hosts(INV);
        hosts.host("node4").exit(".*test -x /usr/local/bin/kubelet.*", 1);
        PlanReport report = hosts.run(DeleteNodePlan.pipeline(request(INV, "node4")), INV);

        assertThat(report.ok()).isTrue();
        assertThat(hosts.matching("kubectl --kubeconfig", "kubeadm reset")).isEmpty();
        assertThat(hosts.matching("node4: for u in kubelet")).hasSize(1);
        // drain, kubeadm reset and kubectl delete node are reported as skipped
        assertThat(report.total(io.kk.plan.Outcome.SKIPPED)).isEqualTo(3);
    }

    @Test
    void memberIdIsFoundByNameOrByPeerUrlForAMemberThatNeverStarted() {
        assertThat(DeleteNodePlan.memberId(MEMBERS, "etcd-node2", "10.0.0.2")).contains("91bc3c398fb3c146");
        assertThat(DeleteNodePlan.memberId(
                        "5c7ef2ac9e7bd7a1, unstarted, , https://10.0.0.9:2380, , false\n", "etcd-node9", "10.0.0.9"))
                .contains("5c7ef2ac9e7bd7a1");
        assertThat(DeleteNodePlan.memberId(MEMBERS, "etcd-node9", "10.0.0.9")).isEmpty();
    }
}
