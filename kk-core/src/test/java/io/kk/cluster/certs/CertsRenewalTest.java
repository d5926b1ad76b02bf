package io.kk.cluster.certs;

import static org.assertj.core.api.Assertions.assertThat;

import io.kk.event.Event;
import io.kk.pki.CertificateAuthority;
import io.kk.pki.CertificateRequest;
import io.kk.pki.KeyAndCertificate;
import io.kk.pki.Pem;
import io.kk.plan.FakeHost;
import io.kk.plan.Inventory;
import io.kk.plan.Outcome;
import io.kk.plan.Pipeline;
import io.kk.plan.PlanEvent;
import io.kk.plan.PlanReport;
import io.kk.plan.PlanRunner;
import io.kk.plan.Role;
import io.kk.plan.RunOptions;
import io.kk.plan.Target;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CertsRenewalTest {
    static final Instant THEN = Instant.parse("2026-01-01T00:00:00Z");
    static final Instant NOW = Instant.parse("2026-11-24T18:00:00Z");

    @TempDir
    Path dir;

    /** A work-dir CA directory as create cluster leaves it: the CA and one leaf with SANs, made a while ago. */
    private KeyAndCertificate workDir(String leaf, String org, boolean server, boolean client) throws Exception {
        CertificateAuthority ca = CertificateAuthority.create(
                "etcd-ca", CertificateAuthority.TEN_YEARS, Clock.fixed(THEN, ZoneOffset.UTC));
        Files.writeString(dir.resolve("ca.pem"), ca.keyAndCertificate().certificatePem());
        Files.writeString(dir.resolve("ca-key.pem"), ca.keyAndCertificate().keyPem());
        KeyAndCertificate kc = ca.issue(new CertificateRequest(
                leaf,
                org,
                List.of("etcd", "node1", "lb.kubesphere.local"),
                List.of("10.0.0.1", "127.0.0.1", "::1"),
                server,
                client,
                Duration.ofDays(365)));
        Files.writeString(dir.resolve(leaf + ".pem"), kc.certificatePem());
        Files.writeString(dir.resolve(leaf + "-key.pem"), kc.keyPem());
        return kc;
    }

    @Test
    void aLeafIsReissuedByTheSameCaWithItsNamesAndUsagesAndANewKey() throws Exception {
        KeyAndCertificate old = workDir("member-node1", "kubekey", true, false);
        String caBefore = Files.readString(dir.resolve("ca.pem"));
        String caKeyBefore = Files.readString(dir.resolve("ca-key.pem"));

        List<WorkDirRenewal.Renewed> renewed = WorkDirRenewal.renew(dir, Clock.fixed(NOW, ZoneOffset.UTC));

        assertThat(renewed).hasSize(1);
        X509Certificate fresh = Pem.certificates(Files.readString(dir.resolve("member-node1.pem")), "t")
                .get(0);
        X509Certificate ca = Pem.certificates(caBefore, "ca").get(0);
        fresh.verify(ca.getPublicKey());
        assertThat(Files.readString(dir.resolve("ca.pem"))).isEqualTo(caBefore);
        assertThat(Files.readString(dir.resolve("ca-key.pem"))).isEqualTo(caKeyBefore);
        assertThat(fresh.getSerialNumber()).isNotEqualTo(old.certificate().getSerialNumber());
        assertThat(renewed.get(0).oldSerial())
                .isEqualTo(old.certificate().getSerialNumber().toString(16));
        assertThat(renewed.get(0).newSerial()).isEqualTo(fresh.getSerialNumber().toString(16));
        assertThat(fresh.getNotAfter().toInstant()).isEqualTo(NOW.plus(CertificateAuthority.TEN_YEARS));
        assertThat(fresh.getSubjectX500Principal()).isEqualTo(old.certificate().getSubjectX500Principal());
        assertThat(sans(fresh)).isEqualTo(sans(old.certificate())).contains("2:etcd", "7:10.0.0.1");
        assertThat(fresh.getExtendedKeyUsage()).isEqualTo(old.certificate().getExtendedKeyUsage());
        assertThat(fresh.getPublicKey()).isNotEqualTo(old.certificate().getPublicKey());
        assertThat(Files.readString(dir.resolve("member-node1-key.pem"))).isNotEqualTo(old.keyPem());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("member-node1-key.pem"))))
                .isEqualTo("rw-------");
    }

    @Test
    void aDirectoryWithoutLeavesRenewsNothing() {
        assertThat(WorkDirRenewal.renew(dir.resolve("absent"), Clock.systemUTC()))
                .isEmpty();
        assertThat(WorkDirRenewal.leaves(dir)).isEmpty();
    }

    private static Set<String> sans(X509Certificate c) throws Exception {
        Set<String> out = new TreeSet<>();
        for (List<?> san : c.getSubjectAlternativeNames()) {
            out.add(san.get(0) + ":" + san.get(1));
        }
        return out;
    }

    // --- on the hosts ---

    static final List<Target> HOSTS = List.of(
            Target.of("node1", "10.0.0.1", "amd64", Role.ETCD, Role.CONTROL_PLANE),
            Target.of("node2", "10.0.0.2", "amd64", Role.ETCD),
            Target.of("node3", "10.0.0.3", "amd64", Role.REGISTRY));

    final Map<String, FakeHost> fakes = new LinkedHashMap<>();
    final List<Event> events = Collections.synchronizedList(new ArrayList<>());

    private PlanReport run(CertsRenewal renewal) {
        return new PlanRunner(FakeHost.factory(fakes), RunOptions.defaults(), events::add, Clock.systemUTC(), d -> {})
                .run(new Pipeline("certs renew", renewal.modules()), new Inventory(HOSTS));
    }

    private static Map<String, String> etcdFiles(String version) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("ca.pem", "CA");
        m.put("ca-key.pem", "CAKEY");
        for (String n : List.of("node1", "node2")) {
            m.put("admin-" + n + ".pem", "admin " + n + " " + version);
            m.put("admin-" + n + "-key.pem", "admin key " + n + " " + version);
            m.put("member-" + n + ".pem", "member " + n + " " + version);
            m.put("member-" + n + "-key.pem", "member key " + n + " " + version);
        }
        m.put("node-node1.pem", "node node1 " + version);
        m.put("node-node1-key.pem", "node key node1 " + version);
        return m;
    }

    private void hostsHolding(Map<String, String> etcd, Map<String, String> registry) {
        for (Target t : HOSTS) {
            FakeHost h = new FakeHost(t.name());
            h.exit("test -x /usr/local/bin/kubeadm .*", 1);
            h.exit(".*systemctl is-active -q etcd.*", t.has(Role.ETCD) ? 0 : 3);
            for (String f : CertsRenewal.certHost(t).etcd() || t.has(Role.CONTROL_PLANE)
                    ? io.kk.cluster.etcd.EtcdCertificates.filesFor(CertsRenewal.certHost(t))
                    : List.<String>of()) {
                h.files.put("/etc/ssl/etcd/ssl/" + f, etcd.get(f));
                h.modes.put("/etc/ssl/etcd/ssl/" + f, f.endsWith("-key.pem") ? 0600 : 0644);
            }
            if (t.has(Role.REGISTRY)) {
                registry.forEach((f, c) -> {
                    h.files.put("/etc/ssl/registry/ssl/" + f, c);
                    h.modes.put("/etc/ssl/registry/ssl/" + f, f.endsWith("-key.pem") ? 0600 : 0644);
                });
            }
            fakes.put(t.name(), h);
        }
    }

    private static CertsRenewal renewal(Map<String, String> etcd, Map<String, String> registry) {
        return new CertsRenewal(etcd, registry, "node3", 443, 2379, false, RenewThreshold.all(NOW));
    }

    private List<String> restarts(String host) {
        return fakes.get(host).commands().stream()
                .filter(c -> c.contains("systemctl restart"))
                .toList();
    }

    @Test
    void renewedFilesArePushedAndEtcdRestartedOneMemberAtATimeThenTheRegistry() {
        Map<String, String> registryOld =
                Map.of("dockerhub.kubekey.local.pem", "reg 1", "dockerhub.kubekey.local-key.pem", "regkey 1");
        hostsHolding(etcdFiles("1"), registryOld);

        PlanReport report = run(renewal(
                etcdFiles("2"),
                Map.of("dockerhub.kubekey.local.pem", "reg 2", "dockerhub.kubekey.local-key.pem", "regkey 2")));

        assertThat(report.ok()).as(report.toString()).isTrue();
        assertThat(fakes.get("node1").files.get("/etc/ssl/etcd/ssl/member-node1.pem"))
                .isEqualTo("member node1 2");
        assertThat(fakes.get("node2").files.get("/etc/ssl/etcd/ssl/admin-node2-key.pem"))
                .isEqualTo("admin key node2 2");
        assertThat(fakes.get("node2").files).doesNotContainKey("/etc/ssl/etcd/ssl/member-node1.pem");
        assertThat(fakes.get("node3").files.get("/etc/ssl/registry/ssl/dockerhub.kubekey.local.pem"))
                .isEqualTo("reg 2");
        assertThat(restarts("node1")).singleElement().asString().startsWith("systemctl restart etcd");
        assertThat(restarts("node2")).singleElement().asString().startsWith("systemctl restart etcd");
        assertThat(restarts("node3")).singleElement().asString().startsWith("systemctl restart registry");
        // each member's health is asked with its own new admin certificate, right after its own restart
        List<String> node1 = fakes.get("node1").commands();
        int restart = node1.indexOf("systemctl restart etcd");
        assertThat(node1.get(restart + 1))
                .contains("--endpoints=https://10.0.0.1:2379")
                .contains("--cert=/etc/ssl/etcd/ssl/admin-node1.pem")
                .contains("endpoint health");
        // one at a time: node2's restart comes after node1's health check
        List<String> order = events.stream()
                .filter(e -> e instanceof PlanEvent.ActionDone d && d.action().equals("restart etcd"))
                .map(e -> ((PlanEvent.ActionDone) e).host())
                .toList();
        assertThat(order).containsExactly("node1", "node2");
        // no kubeadm here: said, not failed
        assertThat(events)
                .anyMatch(e -> e instanceof PlanEvent.ActionDone d
                        && d.host().equals("node1")
                        && d.outcome() == Outcome.SKIPPED
                        && d.detail().contains("kubeadm's certificates skipped"));
    }

    @Test
    void aRenewalKilledAfterThePushAndBeforeTheRestartsRestartsOnTheRerun() {
        // what the kill left: the new files on every host, node1's etcd and node3's registry still
        // on the old ones (their restarts due); the rerun finds the files as wanted
        hostsHolding(etcdFiles("2"), Map.of("r.pem", "reg 2", "r-key.pem", "k 2"));
        String etcdDue = io.kk.plan.Actions.followUpMarker(CertsRenewal.ETCD_RESTART_DUE);
        String registryDue = io.kk.plan.Actions.followUpMarker(CertsRenewal.REGISTRY_RESTART_DUE);
        fakes.get("node1").files.put(etcdDue, "");
        fakes.get("node3").files.put(registryDue, "");

        PlanReport report = run(renewal(etcdFiles("2"), Map.of("r.pem", "reg 2", "r-key.pem", "k 2")));

        assertThat(report.ok()).as(report.toString()).isTrue();
        assertThat(restarts("node1")).singleElement().asString().startsWith("systemctl restart etcd");
        assertThat(restarts("node2")).as("nothing was due on node2").isEmpty();
        assertThat(restarts("node3")).singleElement().asString().startsWith("systemctl restart registry");
        assertThat(fakes.get("node1").files).doesNotContainKey(etcdDue);
        assertThat(fakes.get("node3").files).doesNotContainKey(registryDue);
    }

    @Test
    void onlyWhatChangedIsRestarted() {
        hostsHolding(etcdFiles("1"), Map.of("r.pem", "reg 1", "r-key.pem", "k 1"));
        Map<String, String> partly = etcdFiles("1");
        partly.put("member-node2.pem", "member node2 2");

        PlanReport report = run(renewal(partly, Map.of("r.pem", "reg 1", "r-key.pem", "k 1")));

        assertThat(report.ok()).isTrue();
        assertThat(restarts("node1")).isEmpty();
        assertThat(restarts("node2")).singleElement().asString().startsWith("systemctl restart etcd");
        assertThat(restarts("node3")).isEmpty();
        assertThat(report.total(Outcome.CHANGED)).isEqualTo(2);
    }

    static final String RENEW = "/usr/local/bin/kubeadm certs renew all && mkdir -p /root/.kube"
            + " && cp -f /etc/kubernetes/admin.conf /root/.kube/config";

    /** The commands that change something on a control plane, in order. */
    private List<String> controlPlaneChanges(String host) {
        return fakes.get(host).commands().stream()
                .filter(c -> c.contains("renew all")
                        || c.contains("manifests-kk-restart")
                        || c.startsWith("systemctl restart"))
                .toList();
    }

    /** What the read script prints for kubeadm's apiserver.crt expiring at {@code notAfter}, and a CA. */
    private static String kubeadmCertificates(Instant notAfter) {
        CertificateAuthority ca = CertificateAuthority.create(
                "kubernetes", CertificateAuthority.TEN_YEARS, Clock.fixed(THEN, ZoneOffset.UTC));
        KeyAndCertificate apiserver = ca.issue(new CertificateRequest(
                "kube-apiserver",
                "",
                List.of("kubernetes"),
                List.of("10.0.0.1"),
                true,
                false,
                Duration.between(THEN, notAfter)));
        return CertificateFiles.FILE_MARK + "/etc/kubernetes/pki/apiserver.crt\n" + apiserver.certificatePem()
                + CertificateFiles.FILE_MARK + "/etc/kubernetes/pki/ca.crt\n"
                + ca.keyAndCertificate().certificatePem();
    }

    private void kubeadmOnNode1(Instant apiserverNotAfter) {
        fakes.get("node1").exit("test -x /usr/local/bin/kubeadm .*", 0);
        fakes.get("node1").answer("for f in .*", kubeadmCertificates(apiserverNotAfter));
    }

    @Test
    void aControlPlaneWithKubeadmRenewsThenRestartsItsStaticPodsThenKubelet() {
        hostsHolding(etcdFiles("1"), Map.of());
        kubeadmOnNode1(NOW.plus(Duration.ofDays(300)));

        PlanReport report = run(renewal(etcdFiles("1"), Map.of()));

        assertThat(report.ok()).as(report.toString()).isTrue();
        assertThat(controlPlaneChanges("node1"))
                .containsExactly(
                        RENEW,
                        CertsRenewal.restartStaticPods(
                                List.of("kube-apiserver", "kube-controller-manager", "kube-scheduler", "etcd")),
                        "systemctl restart kubelet");
        assertThat(fakes.get("node2").commands()).noneMatch(c -> c.contains("kubeadm certs renew"));
        assertThat(restarts("node1")).noneMatch(c -> c.startsWith("systemctl restart etcd"));
    }

    @Test
    void kubeadmRenewsOnlyWhenACertificateIsWithinTheThreshold() {
        hostsHolding(etcdFiles("1"), Map.of());
        kubeadmOnNode1(NOW.plus(Duration.ofDays(31)).plusSeconds(60));
        CertsRenewal in30 = new CertsRenewal(
                etcdFiles("1"), Map.of(), "node3", 443, 2379, false, new RenewThreshold(30, false, NOW));

        PlanReport notDue = run(in30);

        assertThat(notDue.ok()).isTrue();
        assertThat(controlPlaneChanges("node1")).isEmpty();
        assertThat(events)
                .anyMatch(e -> e instanceof PlanEvent.ActionDone d
                        && d.host().equals("node1")
                        && d.outcome() == Outcome.UNCHANGED
                        && d.detail().contains("earliest /etc/kubernetes/pki/apiserver.crt, 31 days left"));

        fakes.get("node1").clearCommands();
        kubeadmOnNode1(NOW.plus(Duration.ofDays(29)));
        assertThat(run(in30).ok()).isTrue();
        assertThat(controlPlaneChanges("node1")).first().isEqualTo(RENEW);
    }

    @Test
    void aNewEtcdClientCertificateRestartsOnlyKubeApiserverWhenKubeadmsAreNotDue() {
        hostsHolding(etcdFiles("1"), Map.of());
        kubeadmOnNode1(NOW.plus(Duration.ofDays(300)));
        Map<String, String> newNodeCert = etcdFiles("1");
        newNodeCert.put("node-node1.pem", "node node1 2");
        newNodeCert.put("node-node1-key.pem", "node key node1 2");

        PlanReport report = run(
                new CertsRenewal(newNodeCert, Map.of(), "node3", 443, 2379, false, new RenewThreshold(30, false, NOW)));

        assertThat(report.ok()).as(report.toString()).isTrue();
        // node1 is an etcd member too: its files changed, so etcd restarts, then kube-apiserver alone
        assertThat(controlPlaneChanges("node1"))
                .containsExactly("systemctl restart etcd", CertsRenewal.restartStaticPods(List.of("kube-apiserver")));
        assertThat(fakes.get("node1").files.get("/etc/ssl/etcd/ssl/node-node1.pem"))
                .isEqualTo("node node1 2");
    }

    @Test
    void alphaCertsBelowKubernetes120() {
        String kubeadm = String.join(
                "\n",
                new CertsRenewal(Map.of(), Map.of(), "", 443, 2379, true, RenewThreshold.all(NOW))
                        .kubeadm(new io.kk.plan.HostValues<>("t"))
                        .describe(HOSTS.get(0)));
        assertThat(kubeadm).contains("kubeadm alpha certs renew all").contains("renew when every certificate");
    }

    @Test
    void theWorkDirRenewsOnlyLeavesWithinTheThresholdUnlessForced() throws Exception {
        // issued at THEN for 365 days: at NOW, 37 days are left
        KeyAndCertificate old = workDir("admin-node1", "", true, true);
        Clock now = Clock.fixed(NOW, ZoneOffset.UTC);
        assertThat(WorkDirRenewal.renew(dir, now, new RenewThreshold(30, false, NOW)))
                .isEmpty();
        assertThat(Files.readString(dir.resolve("admin-node1.pem"))).isEqualTo(old.certificatePem());
        assertThat(WorkDirRenewal.renew(dir, now, new RenewThreshold(40, false, NOW)))
                .extracting(WorkDirRenewal.Renewed::file)
                .containsExactly("admin-node1.pem");
        assertThat(WorkDirRenewal.renew(dir, now, new RenewThreshold(40, true, NOW)))
                .hasSize(1);
    }
}
