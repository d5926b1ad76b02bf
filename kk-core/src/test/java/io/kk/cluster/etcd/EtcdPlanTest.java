package io.kk.cluster.etcd;

import static org.assertj.core.api.Assertions.assertThat;

import io.kk.plan.Inventory;
import io.kk.plan.Pipeline;
import io.kk.plan.PlanPreview;
import io.kk.plan.Role;
import io.kk.plan.Target;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EtcdPlanTest {
    static final List<Target> HOSTS = List.of(
            Target.of("node1", "10.0.0.1", "amd64", Role.ETCD, Role.CONTROL_PLANE),
            Target.of("node2", "10.0.0.2", "amd64", Role.ETCD),
            Target.of("node3", "10.0.0.3", "amd64", Role.WORKER));

    static EtcdRequest request(EtcdRequest.Type type) {
        return new EtcdRequest(
                HOSTS,
                type,
                "v3.5.13",
                Path.of("kubekey/etcd/v3.5.13/amd64/etcd-v3.5.13-linux-amd64.tar.gz"),
                EtcdFiles.EtcdSettings.defaults(),
                // never used by a preview: it only names the directory
                new EtcdPki(Path.of("kubekey/pki/etcd"), EtcdRequest.certHosts(HOSTS), "", java.time.Clock.systemUTC()),
                new EtcdRequest.ExternalFiles(
                        Path.of("/x/ca.pem"), Path.of("/x/client.pem"), Path.of("/x/client-key.pem")));
    }

    @Test
    void aRunningMemberKeepsItsInitialClusterLines() {
        Target node1 = HOSTS.get(0);
        String old = "ETCD_INITIAL_CLUSTER_STATE=new\nETCD_INITIAL_CLUSTER=etcd-node1=https://10.0.0.1:2380\n";
        EtcdPlan.MemberState running = new EtcdPlan.MemberState(true, Set.of("etcd-node1", "etcd-node2"), old);
        String env = EtcdPlan.env(
                request(EtcdRequest.Type.KUBEKEY),
                node1,
                running,
                true,
                request(EtcdRequest.Type.KUBEKEY).members());
        assertThat(env)
                .contains("ETCD_INITIAL_CLUSTER_STATE=new\n")
                .contains("ETCD_INITIAL_CLUSTER=etcd-node1=https://10.0.0.1:2380\n");
        // a host not yet in the cluster gets the full list
        EtcdPlan.MemberState fresh = new EtcdPlan.MemberState(false, Set.of(), "");
        assertThat(EtcdPlan.env(
                        request(EtcdRequest.Type.KUBEKEY),
                        node1,
                        fresh,
                        false,
                        request(EtcdRequest.Type.KUBEKEY).members()))
                .contains("ETCD_INITIAL_CLUSTER=etcd-node1=https://10.0.0.1:2380,etcd-node2=https://10.0.0.2:2380\n");
    }

    @Test
    void etcdStepsRunOnEtcdHostsOnlyAndCertificatesAlsoOnControlPlanes() {
        Pipeline p = new Pipeline("t", EtcdPlan.modules(request(EtcdRequest.Type.KUBEKEY)));
        PlanPreview preview = PlanPreview.of(p, new Inventory(HOSTS));
        assertThat(preview.hosts().get(1).steps())
                .extracting(PlanPreview.Step::task)
                .contains("etcd start", "etcd certificates");
        assertThat(preview.hosts().get(2).steps()).isEmpty();
        // only the first etcd host reads the CA back
        assertThat(preview.hosts().get(1).steps())
                .extracting(PlanPreview.Step::task)
                .doesNotContain("etcd CA");
    }

    @Test
    void externalPlacesTheConfigsFilesOnControlPlanesAndKubeadmDoesNothing() {
        PlanPreview preview = PlanPreview.of(
                new Pipeline("t", EtcdPlan.modules(request(EtcdRequest.Type.EXTERNAL))), new Inventory(HOSTS));
        assertThat(String.join(
                        "\n",
                        preview.hosts().get(0).steps().stream()
                                .flatMap(s -> s.lines().stream())
                                .toList()))
                .contains("/etc/ssl/etcd/ssl/client-key.pem mode 0600");
        assertThat(preview.hosts().get(1).steps()).isEmpty();
        assertThat(EtcdPlan.modules(request(EtcdRequest.Type.KUBEADM))).isEmpty();
    }

    @Test
    void theMemberIdIsReadFromEtcdctlsSimpleList() {
        String list =
                "8e9e05c52164694d, started, etcd-node2, https://10.250.1.12:2380, https://10.250.1.12:2379, false\n"
                        + "91bc3c398fb3c146, started, etcd-node4, https://10.250.1.14:2380, https://10.250.1.14:2379, false\n";
        assertThat(EtcdPlan.memberId(list, "node4")).isEqualTo("91bc3c398fb3c146");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> EtcdPlan.memberId(list, "node3"))
                .hasMessageContaining("etcd-node3 is not in the member list");
    }

    @Test
    void anEtcdTarballWithAnEntryOutsideItsFolderIsRefusedBeforeAnyUpload(
            @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path tgz = dir.resolve("etcd-v3.5.13-linux-amd64.tar.gz");
        try (java.io.OutputStream o = new java.util.zip.GZIPOutputStream(java.nio.file.Files.newOutputStream(tgz));
                org.apache.commons.compress.archivers.tar.TarArchiveOutputStream tar =
                        new org.apache.commons.compress.archivers.tar.TarArchiveOutputStream(o)) {
            for (String name : new String[] {"etcd-v3.5.13-linux-amd64/etcd", "etcd-v3.5.13-linux-amd64/etcdctl"}) {
                org.apache.commons.compress.archivers.tar.TarArchiveEntry e =
                        new org.apache.commons.compress.archivers.tar.TarArchiveEntry(name);
                e.setSize(1);
                tar.putArchiveEntry(e);
                tar.write('x');
                tar.closeArchiveEntry();
            }
            org.apache.commons.compress.archivers.tar.TarArchiveEntry evil =
                    new org.apache.commons.compress.archivers.tar.TarArchiveEntry(
                            "etcd-v3.5.13-linux-amd64/etcd",
                            org.apache.commons.compress.archivers.tar.TarArchiveEntry.LF_SYMLINK);
            evil.setLinkName("/etc/shadow");
            tar.putArchiveEntry(evil);
            tar.closeArchiveEntry();
        }
        EtcdPlan.BinarySums sums = new EtcdPlan.BinarySums(tgz, "v3.5.13", "amd64");
        org.assertj.core.api.Assertions.assertThatThrownBy(sums::get)
                .isInstanceOf(io.kk.error.KkException.class)
                .hasMessageContaining(tgz + ": refusing entry etcd-v3.5.13-linux-amd64/etcd: a second entry");
    }

    @Test
    void aMemberAddedByAKilledRunIsFoundUnstartedByItsPeerUrl() {
        // etcdctl 3.4 member list -w simple, node3 added and never started (no name yet)
        String list = "8e9e05c52164694d, started, etcd-node1, https://10.0.0.1:2380, https://10.0.0.1:2379, false\n"
                + "91bc3c398fb3c146, unstarted, , https://10.0.0.3:2380, , false\n";
        assertThat(EtcdPlan.unstartedWith(list, "https://10.0.0.3:2380")).isTrue();
        assertThat(EtcdPlan.unstartedWith(list, "https://10.0.0.1:2380"))
                .as("started")
                .isFalse();
        assertThat(EtcdPlan.unstartedWith(list, "https://10.0.0.2:2380")).isFalse();
    }
}
