package io.kk.cluster.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.kk.cluster.node.DrainReport.StuckPod;
import org.junit.jupiter.api.Test;

/** kubectl drain's failure output, as kubectl 1.2x prints it, read into the pods that stayed. */
class DrainReportTest {

    @Test
    void aDisruptionBudgetAndATimeoutNameTheEvictedPodsWithTheirNamespaces() {
        String out =
                """
                node/w1 cordoned
                Warning: ignoring DaemonSet-managed Pods: kube-system/calico-node-8x2lq, kube-system/kube-proxy-7vwvl
                evicting pod default/web-7d4b9c7c5-x2x9p
                evicting pod shop/db-0
                error when evicting pods/"web-7d4b9c7c5-x2x9p" -n "default" (will retry after 5s): Cannot evict pod as it would violate the pod's disruption budget.
                pod/db-0 evicted
                There are pending pods in node "w1" when an error occurred: [error when evicting pods/"web-7d4b9c7c5-x2x9p" -n "default": global timeout reached: 2m0s, error when waiting for pod "db-0" terminating: global timeout reached: 2m0s]
                error: unable to drain node "w1" due to error: [error when evicting pods/"web-7d4b9c7c5-x2x9p" -n "default": global timeout reached: 2m0s, error when waiting for pod "db-0" terminating: global timeout reached: 2m0s], continuing command...
                There are pending nodes to be drained:
                 w1
                """;
        assertThat(DrainReport.parse(out))
                .containsExactly(
                        new StuckPod(
                                "default",
                                "web-7d4b9c7c5-x2x9p",
                                "Cannot evict pod as it would violate the pod's disruption budget."),
                        new StuckPod("shop", "db-0", "still terminating: global timeout reached: 2m0s"));
        assertThat(DrainReport.render(DrainReport.parse(out)))
                .isEqualTo(
                        """
                        2 pod(s) would not leave:
                          default/web-7d4b9c7c5-x2x9p: Cannot evict pod as it would violate the pod's disruption budget.
                          shop/db-0: still terminating: global timeout reached: 2m0s""");
    }

    @Test
    void podsKubectlRefusesToDeleteAreListedEachWithTheFlagThatWouldOverride() {
        String out =
                """
                node/w2 cordoned
                error: unable to drain node "w2" due to error: [cannot delete Pods with local storage (use --delete-emptydir-data to override): default/cache-5f9, team-a/scratch, cannot delete Pods declare no controller (use --force to override): default/bare], continuing command...
                There are pending nodes to be drained:
                 w2
                cannot delete Pods with local storage (use --delete-emptydir-data to override): default/cache-5f9, team-a/scratch
                cannot delete Pods declare no controller (use --force to override): default/bare
                """;
        assertThat(DrainReport.parse(out))
                .extracting(StuckPod::render)
                .containsExactly(
                        "default/cache-5f9: kubectl cannot delete Pods with local storage (without --delete-emptydir-data)",
                        "team-a/scratch: kubectl cannot delete Pods with local storage (without --delete-emptydir-data)",
                        "default/bare: kubectl cannot delete Pods declare no controller (without --force)");
    }

    @Test
    void anOutputNamingNoPodSaysSo() {
        assertThat(DrainReport.parse("error: the server doesn't have a resource type \"nodes\""))
                .isEmpty();
        assertThat(DrainReport.render(DrainReport.parse(""))).isEqualTo("kubectl named no pod that stayed");
    }
}
