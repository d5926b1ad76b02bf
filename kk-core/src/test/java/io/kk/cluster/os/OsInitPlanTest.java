package io.kk.cluster.os;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kk.error.ErrorKind;
import io.kk.error.KkException;
import io.kk.event.Event;
import io.kk.event.Note;
import io.kk.plan.FakeHost;
import io.kk.plan.Golden;
import io.kk.plan.HostSummary;
import io.kk.plan.Outcome;
import io.kk.plan.PlanEvent;
import io.kk.plan.PlanPreview;
import io.kk.plan.PlanReport;
import io.kk.plan.PlanRunner;
import io.kk.plan.Role;
import io.kk.plan.RunOptions;
import io.kk.plan.Target;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OsInitPlanTest {
    private final Clock clock = Clock.fixed(Instant.parse("2026-11-24T12:00:00Z"), ZoneOffset.UTC);
    private final List<Event> events = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, FakeNode> nodes = new LinkedHashMap<>();

    @TempDir
    Path tmp;

    static final List<Target> HOSTS = List.of(
            Target.of("node1", "192.168.0.11", "amd64", Role.ETCD, Role.CONTROL_PLANE),
            Target.of("node2", "192.168.0.12", "amd64", Role.WORKER),
            Target.of("node3", "192.168.0.13", "amd64", Role.WORKER, Role.REGISTRY));

    private void fleet(String osRelease) {
        for (Target t : HOSTS) {
            nodes.put(t.name(), new FakeNode(t.name(), osRelease, clock));
        }
    }

    private PlanReport run(OsInitRequest r) {
        Map<String, FakeHost> hosts = new LinkedHashMap<>();
        nodes.forEach((k, v) -> hosts.put(k, v.host));
        return new PlanRunner(FakeHost.factory(hosts), RunOptions.defaults(), events::add, clock, d -> {})
                .run(OsInitPlan.pipeline(r), r.inventory());
    }

    private static OsInitRequest request(
            PackageSource packages, List<CustomScript> pre, List<CustomScript> post, List<String> ntp, String tz) {
        return new OsInitRequest(
                HOSTS,
                "cluster.local",
                "lb.kubesphere.local",
                "",
                "dockerhub.kubekey.local:443",
                ntp,
                tz,
                List.of("nfs-common"),
                List.of("nfs-utils"),
                pre,
                post,
                packages,
                "ipvs",
                Duration.ofSeconds(30));
    }

    private static OsInitRequest fullRequest() {
        return request(
                new PackageSource.Online(),
                List.of(new CustomScript("hello", "echo hello", "worker", List.of())),
                List.of(new CustomScript("bye", "echo bye", "", List.of())),
                List.of("node1", "ntp.example.org"),
                "Asia/Shanghai");
    }

    @Test
    void firstRunPreparesEveryHostAndSecondRunChangesNothing() {
        fleet(FakeNode.DEBIAN_12);
        OsInitRequest r = fullRequest();

        PlanReport first = run(r);

        assertThat(first.ok()).as(first.toString()).isTrue();
        for (FakeNode n : nodes.values()) {
            FakeHost h = n.host;
            assertThat(n.swapOn).isFalse();
            assertThat(h.files.get("/etc/fstab"))
                    .contains("#/swapfile none swap")
                    .contains("UUID=abc / ext4");
            assertThat(n.hostname).isEqualTo(n.name());
            assertThat(h.files.get("/etc/hosts"))
                    .isEqualTo("127.0.0.1\tlocalhost\n"
                            + "# kubekey hosts BEGIN\n"
                            + "192.168.0.11  node1.cluster.local node1\n"
                            + "192.168.0.12  node2.cluster.local node2\n"
                            + "192.168.0.13  node3.cluster.local node3\n"
                            + "192.168.0.13  dockerhub.kubekey.local\n"
                            + "192.168.0.11  lb.kubesphere.local\n"
                            + "# kubekey hosts END\n");
            assertThat(n.packages)
                    .contains("socat", "conntrack", "ebtables", "ipset", "ipvsadm", "chrony", "nfs-common")
                    .doesNotContain("nfs-utils", "openssl");
            assertThat(h.files.get(Prep.SYSCTL_FILE))
                    .contains("net.ipv4.ip_forward = 1", "net.bridge.bridge-nf-call-iptables = 1");
            assertThat(h.commands()).contains(Prep.SYSCTL_APPLY);
            assertThat(h.files.get(Prep.MODULES_FILE)).contains("br_netfilter\noverlay\nip_vs\n");
            assertThat(h.files.get("/etc/chrony/chrony.conf")).contains("server ntp.example.org iburst");
            assertThat(n.enabledUnits).contains("chrony");
            assertThat(n.timezone).isEqualTo("Asia/Shanghai");
        }
        assertThat(nodes.get("node1").host.files.get("/etc/chrony/chrony.conf"))
                .contains("allow 0.0.0.0/0")
                .doesNotContain("server 192.168.0.11");
        assertThat(nodes.get("node2").host.files.get("/etc/chrony/chrony.conf")).contains("server 192.168.0.11 iburst");
        // the modules could not load (no modprobe here): reported, not failed
        assertThat(events)
                .anyMatch(e -> e instanceof PlanEvent.ActionDone d
                        && d.action().equals("load kernel modules")
                        && d.outcome() == Outcome.SKIPPED
                        && d.detail().contains("no modprobe"));
        // the preInstall script ran on workers only, its output came back as an event
        assertThat(events)
                .anyMatch(e -> e instanceof PlanEvent.ActionOutput o
                        && o.host().equals("node2")
                        && o.text().contains("hello from"));
        assertThat(events)
                .noneMatch(e -> e instanceof PlanEvent.ActionOutput o
                        && o.host().equals("node1")
                        && o.action().contains("hello"));

        events.clear();
        nodes.values().forEach(n -> n.host.clearCommands());
        PlanReport second = run(r);

        assertThat(second.ok()).isTrue();
        assertThat(second.total(Outcome.CHANGED)).isZero();
        assertThat(events)
                .filteredOn(e -> e instanceof PlanEvent.ActionDone)
                .allMatch(e -> ((PlanEvent.ActionDone) e).outcome() == Outcome.UNCHANGED
                        || ((PlanEvent.ActionDone) e).action().equals("load kernel modules"));
        for (FakeNode n : nodes.values()) {
            assertThat(n.host.commands())
                    .noneMatch(c -> c.startsWith("(upload)")
                            || c.contains("install -y")
                            || c.contains("&& cd /tmp/kubekey/scripts"));
        }
    }

    @Test
    void aHostThatGoesDownMidRunFailsAloneAndARerunFinishes() {
        fleet(FakeNode.DEBIAN_12);
        FakeHost node2 = nodes.get("node2").host;
        // node2 dies during the package install and stays down for every retry
        for (int i = 0; i < 4; i++) {
            node2.dropNext(".*install -y.*");
        }
        OsInitRequest r = OsInitRequest.of(HOSTS);

        PlanReport first = run(r);

        assertThat(first.ok()).isFalse();
        assertThat(first.kind()).isEqualTo(ErrorKind.ENVIRONMENT);
        HostSummary.Failure f = first.failedHosts().get(0).failure().orElseThrow();
        assertThat(first.failedHosts()).extracting(HostSummary::host).containsExactly("node2");
        assertThat(f.task()).isEqualTo("configure os / packages");
        assertThat(f.message()).contains("node2").contains("gave up after 3 retries");
        // the others finished the packages task, then the pipeline stopped before the kernel task
        assertThat(nodes.get("node1").packages).contains("socat");
        assertThat(nodes.get("node1").host.files).doesNotContainKey(Prep.SYSCTL_FILE);

        PlanReport second = run(r);

        assertThat(second.ok()).as(second.toString()).isTrue();
        assertThat(nodes.get("node2").packages).contains("socat");
        assertThat(nodes.values()).allMatch(n -> n.host.files.containsKey(Prep.SYSCTL_FILE));
    }

    @Test
    void modulesAreLoadedWhenModprobeExists() {
        fleet(FakeNode.DEBIAN_12);
        nodes.values().forEach(n -> n.commands.add("modprobe"));
        OsInitRequest r = OsInitRequest.of(HOSTS);

        run(r);
        assertThat(nodes.get("node1").loadedModules)
                .containsExactlyInAnyOrder(
                        "br_netfilter", "overlay", "ip_vs", "ip_vs_rr", "ip_vs_wrr", "ip_vs_sh", "nf_conntrack");
        events.clear();
        PlanReport second = run(r);
        assertThat(second.total(Outcome.CHANGED)).isZero();
        assertThat(second.total(Outcome.SKIPPED)).isZero();
    }

    @Test
    void etcdPortsInUseByARunningEtcdAreARerunNotAConflict() {
        fleet(FakeNode.DEBIAN_12);
        OsInitRequest r = OsInitRequest.of(HOSTS);
        String etcdHost = "node1";
        FakeNode node = nodes.get(etcdHost);
        node.listening.addAll(List.of(2379, 2380));

        PlanReport foreign = run(r);
        assertThat(foreign.failedHosts()).extracting(HostSummary::host).containsExactly(etcdHost);
        assertThat(foreign.failedHosts().get(0).failure().orElseThrow().message())
                .contains("ports already in use: [2379, 2380]");

        node.runningServices.add("etcd");
        events.clear();
        assertThat(run(r).ok()).isTrue();
    }

    @Test
    void precheckFailsAHostWithEveryProblemAndStopsBeforePrep() {
        fleet(FakeNode.DEBIAN_12);
        FakeNode bad = nodes.get("node2");
        bad.unameM = "aarch64";
        bad.driftSeconds = 95;
        bad.listening.add(10250);
        nodes.get("node1").driftSeconds = -5;

        PlanReport report = run(OsInitRequest.of(HOSTS));

        assertThat(report.ok()).isFalse();
        assertThat(report.kind()).isEqualTo(ErrorKind.ENVIRONMENT);
        assertThat(report.failedHosts()).extracting(HostSummary::host).containsExactly("node2");
        String message = report.failedHosts().get(0).failure().orElseThrow().message();
        assertThat(message)
                .contains("arch amd64 but the host is arm64")
                .contains("clock is 95s off")
                .contains("ports already in use: [10250]");
        assertThat(report.failedHosts().get(0).failure().orElseThrow().task()).isEqualTo("precheck / node check");
        assertThat(events)
                .anyMatch(e -> e instanceof Note n
                        && n.level() == Note.Level.WARN
                        && n.text().contains("[node1]")
                        && n.text().contains("-5s off"));
        // nobody was changed: the pipeline stopped after the precheck
        assertThat(nodes.values()).allMatch(n -> n.swapOn && n.installs.isEmpty());
    }

    @Test
    void precheckReportsWhatPrepWillFixAndWarnsAboutIpvs() {
        fleet(FakeNode.DEBIAN_12);
        nodes.values().forEach(n -> {
            n.ipvs = false;
            n.commands.remove("openssl");
        });
        PlanReport report = run(OsInitRequest.of(HOSTS));

        assertThat(report.ok()).isTrue();
        assertThat(events)
                .anyMatch(e -> e instanceof PlanEvent.ActionDone d
                        && d.action().equals("check")
                        && d.detail()
                                .contains(
                                        "missing chronyd, conntrack, ebtables, ipset, openssl, socat (prep installs them)")
                        && d.detail().contains("swap is on"));
        assertThat(events).anyMatch(e -> e instanceof Note n && n.text().contains("no ip_vs module"));
        assertThat(nodes.get("node1").packages).contains("openssl");
    }

    @Test
    void unsupportedOsFailsThePrecheck() {
        fleet("ID=gentoo\nPRETTY_NAME=\"Gentoo\"\n");
        PlanReport report = run(OsInitRequest.of(HOSTS));
        assertThat(report.failedHosts()).hasSize(3);
        assertThat(report.failedHosts().get(0).failure().orElseThrow().message())
                .contains("unsupported OS Gentoo");
    }

    @Test
    void installsFromTheArtifactIsoWithATemporarySourceOnly() throws Exception {
        fleet(FakeNode.DEBIAN_12);
        nodes.get("node3").host.files.put("/etc/os-release", FakeNode.ROCKY_9);
        Path root = tmp.resolve("repository");
        Path deb = root.resolve("amd64/debian/12/debian-12-amd64.iso");
        Path rpm = root.resolve("amd64/rocky/9.3/rocky-9.3-amd64.iso");
        Files.createDirectories(deb.getParent());
        Files.createDirectories(rpm.getParent());
        Files.writeString(deb, "deb iso");
        Files.writeString(rpm, "rpm iso");
        OsInitRequest r = request(new PackageSource.IsoRepository(root), List.of(), List.of(), List.of(), "");

        PlanReport report = run(r);

        assertThat(report.ok()).as(report.toString()).isTrue();
        FakeNode n1 = nodes.get("node1");
        assertThat(n1.host.files.get("/tmp/kubekey/debian-12-amd64.iso")).isEqualTo("deb iso");
        assertThat(n1.installs).singleElement().satisfies(cmd -> assertThat(cmd)
                .contains("mount -t iso9660 -o loop,ro /tmp/kubekey/debian-12-amd64.iso /tmp/kubekey/iso")
                .contains("trap 'umount /tmp/kubekey/iso' EXIT")
                .contains("deb [trusted=yes] file:///tmp/kubekey/iso ./")
                .contains("-o Dir::Etc::SourceParts=/dev/null")
                .endsWith("install -y -qq socat conntrack ebtables ipset ipvsadm chrony nfs-common"));
        FakeNode n3 = nodes.get("node3");
        assertThat(n3.host.files.get("/tmp/kubekey/rocky-9.3-amd64.iso")).isEqualTo("rpm iso");
        assertThat(n3.installs).singleElement().satisfies(cmd -> assertThat(cmd)
                .contains("baseurl=file:///tmp/kubekey/iso")
                .contains("--disablerepo='*' --enablerepo=kubekey-local")
                .endsWith("install -y openssl socat conntrack ebtables ipset ipvsadm chrony nfs-utils"));
    }

    @Test
    void aMissingIsoIsBadInputNamingThePath() {
        fleet(FakeNode.DEBIAN_12);
        OsInitRequest r = request(new PackageSource.IsoRepository(tmp), List.of(), List.of(), List.of(), "");
        PlanReport report = run(r);
        assertThat(report.kind()).isEqualTo(ErrorKind.FAILED);
        HostSummary.Failure f = report.failedHosts().get(0).failure().orElseThrow();
        assertThat(f.kind()).isEqualTo(ErrorKind.INVALID_INPUT);
        assertThat(f.message()).contains("no package ISO for debian 12 amd64").contains("debian-12-amd64.iso");
    }

    @Test
    void anEditedScriptRunsAgainAndMaterialsGoFirst() throws Exception {
        fleet(FakeNode.DEBIAN_12);
        Path material = tmp.resolve("data.txt");
        Files.writeString(material, "payload");
        OsInitRequest one = request(
                new PackageSource.Online(),
                List.of(new CustomScript("setup", "cat data.txt", "etcd", List.of(material))),
                List.of(),
                List.of(),
                "");
        run(one);
        FakeHost h1 = nodes.get("node1").host;
        assertThat(h1.files.get("/tmp/kubekey/scripts/setup/data.txt")).isEqualTo("payload");
        assertThat(h1.commands())
                .containsSubsequence(
                        "(upload) /tmp/kubekey/scripts/setup/data.txt",
                        "mkdir -p /tmp/kubekey/scripts/setup && cd /tmp/kubekey/scripts/setup && bash /tmp/kubekey/scripts/setup.sh");
        assertThat(nodes.get("node2").host.commands()).noneMatch(c -> c.contains("scripts/setup"));

        h1.clearCommands();
        Files.writeString(material, "payload v2");
        run(one);
        assertThat(h1.commands())
                .contains(
                        "mkdir -p /tmp/kubekey/scripts/setup && cd /tmp/kubekey/scripts/setup && bash /tmp/kubekey/scripts/setup.sh");
    }

    @Test
    void anUnknownScriptRoleIsBadInput() {
        OsInitRequest r = request(
                new PackageSource.Online(),
                List.of(new CustomScript("x", "true", "wroker", List.of())),
                List.of(),
                List.of(),
                "");
        assertThatThrownBy(() -> OsInitPlan.pipeline(r))
                .isInstanceOf(KkException.class)
                .hasMessageContaining("preInstall script x: unknown role wroker");
    }

    @Test
    void hostsBlockAndChronyConfig() {
        OsInitRequest r = new OsInitRequest(
                HOSTS,
                "k8s.corp",
                "lb.corp",
                "10.0.0.100",
                "reg.corp:5000/library",
                List.of("node3", "10.1.1.1"),
                "",
                null,
                null,
                null,
                null,
                null,
                null,
                null);
        assertThat(Prep.hostsBlock(r))
                .isEqualTo("192.168.0.11  node1.k8s.corp node1\n192.168.0.12  node2.k8s.corp node2\n"
                        + "192.168.0.13  node3.k8s.corp node3\n192.168.0.13  reg.corp\n10.0.0.100  lb.corp\n");
        assertThat(TimeSync.chronyConf(r, HOSTS.get(0)))
                .contains("server 192.168.0.13 iburst\nserver 10.1.1.1 iburst\n");
        assertThat(TimeSync.chronyConf(r, HOSTS.get(2)))
                .doesNotContain("192.168.0.13")
                .contains("allow 0.0.0.0/0");
    }

    @Test
    void parsesOsReleaseAndListeningPorts() {
        OsRelease rocky = OsRelease.parse(FakeNode.ROCKY_9);
        assertThat(rocky.id()).isEqualTo("rocky");
        assertThat(rocky.versionId()).isEqualTo("9.3");
        assertThat(rocky.family()).isEqualTo(OsRelease.Family.RHEL);
        assertThat(OsRelease.parse("ID=ubuntu\nVERSION_ID=\"22.04\"\n").family())
                .isEqualTo(OsRelease.Family.DEBIAN);
        String tcp = "  sl  local_address rem_address   st\n"
                + "   0: 00000000:0016 00000000:0000 0A 00000000:00000000 00:00000000 00000000 0 0 1\n"
                + "   1: 0100007F:1A0B 00000000:0000 0A 00000000:00000000 00:00000000 00000000 0 0 1\n"
                + "   2: 0100007F:9C40 0100007F:0016 01 00000000:00000000 00:00000000 00000000 0 0 1\n";
        assertThat(Precheck.listeningPorts(tcp)).containsExactly(22, 6667);
    }

    @Test
    void dryRunOfTheWholePlanForThreeHosts() throws Exception {
        OsInitRequest r = request(
                new PackageSource.IsoRepository(Path.of("/opt/kubekey/repository")),
                List.of(new CustomScript(
                        "hello", "echo hello\nuname -a", "worker", List.of(Path.of("/opt/files/motd")))),
                List.of(new CustomScript("bye", "echo bye", "", List.of())),
                List.of("node1", "ntp.example.org"),
                "Asia/Shanghai");

        String text = PlanPreview.of(OsInitPlan.pipeline(r), r.inventory()).render();

        Golden.assertMatches("io/kk/cluster/os/init-os-dry-run.txt", text);
    }
}
