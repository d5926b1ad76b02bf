package io.kk.cluster.addons;

import static org.assertj.core.api.Assertions.assertThat;

import io.kk.config.ClusterConfig;
import io.kk.config.ConfigLoader;
import io.kk.config.KnownVersions;
import io.kk.config.LoadedCluster;
import io.kk.event.Event;
import io.kk.plan.FakeHost;
import io.kk.plan.Inventory;
import io.kk.plan.Outcome;
import io.kk.plan.Pipeline;
import io.kk.plan.PlanReport;
import io.kk.plan.PlanRunner;
import io.kk.plan.Role;
import io.kk.plan.RunOptions;
import io.kk.plan.Target;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An addon's preInstall and postInstall scripts around it, on the hosts of their role, against fake
 * hosts that keep kk's stamps: the order across hosts, the failure with exit code and output tail,
 * the script text kept out of events, and a rerun that runs nothing.
 */
class AddonsPlanTest {
    static final String SECRET = "s3cr3t-token-value";

    static final List<Target> HOSTS = List.of(
            Target.of("master1", "10.0.0.2", "amd64", Role.CONTROL_PLANE, Role.ETCD),
            Target.of("node1", "10.0.0.3", "amd64", Role.WORKER));

    @TempDir
    Path configDir;

    private final Map<String, FakeHost> hosts = new LinkedHashMap<>();
    private final List<String> log = Collections.synchronizedList(new ArrayList<>());
    private final List<Event> events = Collections.synchronizedList(new ArrayList<>());

    @BeforeEach
    void fleet() throws Exception {
        Files.writeString(configDir.resolve("ns.yaml"), "kind: Namespace\n");
        Files.writeString(configDir.resolve("setup-disk.sh"), "echo disk ready\n");
        for (Target t : HOSTS) {
            FakeHost h = new FakeHost(t.name());
            // kk's stamps and marks: 'grep -qx SUM FILE' succeeds when FILE holds SUM
            h.on(
                    "grep -qx (\\w+) (\\S+)( && .*)?",
                    m -> FakeHost.result(
                            m.group(1)
                                            .equals(h.files
                                                    .getOrDefault(m.group(2), "")
                                                    .strip())
                                    ? 0
                                    : 1,
                            "",
                            ""));
            h.on("rm -f (\\S+)", m -> {
                h.files.remove(m.group(1));
                return FakeHost.ok("");
            });
            h.on("mkdir -p \\S+ && chmod 0700 \\S+ && echo (\\w+) > (\\S+)", m -> {
                h.files.put(m.group(2), m.group(1) + "\n");
                return FakeHost.ok("");
            });
            hosts.put(t.name(), h);
        }
    }

    private ClusterConfig config(String addons) {
        String text =
                """
                apiVersion: kubekey.kubesphere.io/v1alpha2
                kind: Cluster
                metadata: {name: a}
                spec:
                  hosts:
                  - {name: master1, address: 10.0.0.2, user: root, password: x}
                  - {name: node1, address: 10.0.0.3, user: root, password: x}
                  roleGroups:
                    etcd: [master1]
                    control-plane: [master1]
                    worker: [node1]
                  kubernetes: {version: v1.28.2}
                  addons:
                """
                        + addons;
        LoadedCluster loaded = ConfigLoader.cluster(text, "c.yaml", KnownVersions.ANY);
        assertThat(loaded.errors()).isEmpty();
        return loaded.config();
    }

    static final String WITH_SCRIPTS =
            """
              - name: storage
                namespace: storage
                preInstall:
                - name: disks
                  role: worker
                  bash: "export TOKEN=%s\\n/bin/bash setup-disk.sh"
                  materials: [setup-disk.sh]
                - {name: everywhere, bash: "echo hi"}
                postInstall:
                - {name: verify, role: control-plane, bash: "kubectl get ns storage"}
                sources:
                  yaml: {path: [ns.yaml]}
            """
                    .formatted(SECRET);

    private PlanReport run(ClusterConfig c) {
        Pipeline p = new Pipeline("addons", List.of(AddonsPlan.addons(c, "master1", configDir, null)));
        return new PlanRunner(
                        FakeHost.recording(hosts, log), RunOptions.defaults(), events::add, Clock.systemUTC(), d -> {})
                .run(p, new Inventory(HOSTS));
    }

    private int at(String prefix) {
        synchronized (log) {
            for (int i = 0; i < log.size(); i++) {
                if (log.get(i).startsWith(prefix)) {
                    return i;
                }
            }
        }
        throw new AssertionError("never ran: " + prefix + "\n" + String.join("\n", log));
    }

    private static final String PRE0 = "cd /tmp/kubekey/addon-storage-preInstall-0 && /bin/bash task.sh";
    private static final String PRE1 = "cd /tmp/kubekey/addon-storage-preInstall-1 && /bin/bash task.sh";
    private static final String POST0 = "cd /tmp/kubekey/addon-storage-postInstall-0 && /bin/bash task.sh";
    private static final String APPLY =
            "/usr/local/bin/kubectl --kubeconfig /etc/kubernetes/admin.conf apply --server-side"
                    + " --field-manager=kubectl-client-side-apply --validate=false -n storage";

    @Test
    void scriptsRunOnTheirHostsAroundTheAddonInOrderAndNotAgainOnARerun() {
        ClusterConfig c = config(WITH_SCRIPTS);

        PlanReport report = run(c);

        assertThat(report.ok()).as(report + "\n" + String.join("\n", log)).isTrue();
        // the material next to the script on the worker, before it runs
        assertThat(hosts.get("node1").files)
                .containsEntry("/tmp/kubekey/addon-storage-preInstall-0/setup-disk.sh", "echo disk ready\n");
        assertThat(at("node1: (upload) /tmp/kubekey/addon-storage-preInstall-0/setup-disk.sh"))
                .isLessThan(at("node1: " + PRE0));
        assertThat(log).noneMatch(l -> l.startsWith("master1: " + PRE0)); // role worker only
        // preInstall 0 (worker), preInstall 1 (every host), the addon, postInstall (control plane)
        int pre1 = Math.max(at("node1: " + PRE1), at("master1: " + PRE1));
        assertThat(at("node1: " + PRE0)).isLessThan(at("master1: " + PRE1));
        assertThat(pre1).isLessThan(at("master1: " + APPLY));
        assertThat(at("master1: " + APPLY)).isLessThan(at("master1: " + POST0));
        assertThat(log).noneMatch(l -> l.startsWith("node1: " + POST0));
        assertThat(at("master1: " + POST0))
                .isLessThan(log.indexOf(log.stream()
                        .filter(l -> l.startsWith("master1: mkdir")
                                && l.endsWith("> /etc/kubernetes/kk-applied/addon-storage.complete"))
                        .findFirst()
                        .orElseThrow()));
        assertThat(at("node1: rm -rf /tmp/kubekey/addon-storage-preInstall-0")).isLessThan(at("node1: " + PRE0));
        assertThat(events.toString()).doesNotContain(SECRET);

        log.clear();
        PlanReport again = run(c);

        assertThat(again.ok()).isTrue();
        assertThat(again.total(Outcome.CHANGED)).as(String.join("\n", log)).isZero();
        assertThat(log).noneMatch(l -> l.contains("task.sh")).noneMatch(l -> l.contains(" apply "));
    }

    @Test
    void aFailingScriptFailsTheAddonWithItsExitCodeAndOutputTailBeforeTheAddonRuns() {
        ClusterConfig c = config(WITH_SCRIPTS);
        StringBuilder out = new StringBuilder();
        for (int i = 1; i <= 15; i++) {
            out.append("line ").append(i).append('\n');
        }
        hosts.get("node1").on(java.util.regex.Pattern.quote(PRE0), m -> FakeHost.result(3, out.toString(), "no disk"));

        PlanReport report = run(c);

        assertThat(report.ok()).isFalse();
        String failure = report.hosts().stream()
                .filter(h -> h.host().equals("node1"))
                .findFirst()
                .orElseThrow()
                .failure()
                .orElseThrow()
                .message();
        assertThat(failure)
                .contains("addon storage preInstall script disks failed (exit 3)")
                .contains("line 15")
                .contains("no disk")
                .doesNotContain("line 5\n");
        assertThat(log).noneMatch(l -> l.contains(" apply ")).noneMatch(l -> l.contains(POST0));
        // the script text does not stay on the host
        assertThat(hosts.get("node1").files).doesNotContainKey("/tmp/kubekey/addon-storage-preInstall-0/task.sh");
        assertThat(events.toString()).doesNotContain(SECRET);
        assertThat(failure).doesNotContain(SECRET);
    }
}
