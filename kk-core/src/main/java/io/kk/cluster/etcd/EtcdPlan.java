package io.kk.cluster.etcd;

import io.kk.error.KkException;
import io.kk.host.CommandResult;
import io.kk.host.RemoteCommand;
import io.kk.plan.Action;
import io.kk.plan.ActionResult;
import io.kk.plan.Actions;
import io.kk.plan.HostContext;
import io.kk.plan.HostSelector;
import io.kk.plan.HostValues;
import io.kk.plan.Module;
import io.kk.plan.Role;
import io.kk.plan.Shell;
import io.kk.plan.Target;
import io.kk.plan.Task;
import io.kk.util.PausePoints;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * The etcd phase as plan modules. Type kubekey, in order: read back the CA the cluster runs with
 * (first etcd host), certificates to every etcd host and control plane (each only its own files),
 * binaries, the members' state (running? in the member list?), env + unit, members joined one by
 * one into a running cluster, every new member started at once ({@code --no-block}: with {@code
 * Type=notify} a lone member would wait for quorum), a TLS health check, the backup timer. A rerun
 * on a healthy cluster changes nothing and restarts nothing.
 */
public final class EtcdPlan {
    static final String BIN = "/usr/local/bin";
    static final String TMP = "/tmp/kubekey/etcd";
    /** The follow-up key: etcd's env or unit changed, its (re)start not yet done. */
    static final String RESTART_DUE = "etcd-restart";

    private EtcdPlan() {}

    /** What a member looked like before this run changed anything. */
    record MemberState(boolean active, Set<String> members, String envFile) {
        boolean inCluster(String name) {
            return members.contains(EtcdFiles.memberName(name));
        }
    }

    public static List<Module> modules(EtcdRequest r) {
        return switch (r.type()) {
            case KUBEADM -> List.of();
            case EXTERNAL -> List.of(external(r));
            case KUBEKEY -> List.of(kubekey(r));
        };
    }

    static Module external(EtcdRequest r) {
        EtcdRequest.ExternalFiles x = r.external();
        List<Action> files = new ArrayList<>();
        for (Path p : List.of(x.caFile(), x.certFile(), x.keyFile())) {
            String remote = EtcdCertificates.REMOTE_DIR + "/" + p.getFileName();
            int mode = p.equals(x.keyFile()) ? 0600 : 0644;
            files.add(Actions.of(
                    p.getFileName().toString(),
                    t -> List.of("write " + remote + " mode " + String.format("%04o", mode) + " from " + p
                            + " when different"),
                    h -> {
                        h.sudoOk("mkdir -p " + EtcdCertificates.REMOTE_DIR);
                        return ActionResult.of(Actions.ensure(h, remote, readLocal(p), mode), remote);
                    }));
        }
        return new Module(
                "etcd (external)",
                List.of(Task.parallel("external etcd certificates", HostSelector.role(Role.CONTROL_PLANE), files)));
    }

    static Module kubekey(EtcdRequest r) {
        List<Target> etcd = r.etcdHosts();
        if (etcd.isEmpty()) {
            throw KkException.invalidInput(
                    "etcd type kubekey needs at least one host in roleGroups.etcd",
                    "list the etcd hosts in roleGroups.etcd, or set etcd.type to kubeadm or external");
        }
        HostValues<MemberState> state = new HostValues<>("etcd member state");
        HostValues<Boolean> configChanged = new HostValues<>("etcd config changed");
        BinarySums sums = new BinarySums(r.tarball(), r.version(), etcd.get(0).arch());
        HostSelector etcdHosts = HostSelector.role(Role.ETCD);
        List<Task> tasks = new ArrayList<>();
        tasks.add(Task.parallel("etcd CA", HostSelector.named(etcd.get(0).name()), readCa(r.pki())));
        tasks.add(Task.parallel(
                "etcd certificates", HostSelector.anyRole(Role.ETCD, Role.CONTROL_PLANE), certificates(r.pki())));
        tasks.add(Task.parallel("etcd binaries", etcdHosts, binaries(r, sums)));
        tasks.add(Task.parallel("etcd state", etcdHosts, probe(r, state)));
        tasks.add(Task.serial("etcd join", etcdHosts, join(r, state, configChanged)));
        tasks.add(Task.parallel("etcd config", etcdHosts, config(r, state, configChanged)));
        tasks.add(Task.parallel("etcd start", etcdHosts, start(configChanged)));
        tasks.add(Task.parallel("etcd health", etcdHosts, health(r)));
        tasks.add(Task.parallel("etcd backup", etcdHosts, backup(r)));
        return new Module("etcd", tasks);
    }

    // --- CA and certificates ---

    static Action readCa(EtcdPki pki) {
        String dir = EtcdCertificates.REMOTE_DIR;
        String script = "if [ -f " + dir + "/ca.pem ] && [ -f " + dir + "/ca-key.pem ]; then cat " + dir
                + "/ca.pem; echo '--- kk ---'; cat " + dir + "/ca-key.pem; fi";
        return Actions.of(
                "read the cluster's CA",
                t -> List.of(
                        "$ cat " + dir + "/ca.pem " + dir + "/ca-key.pem    # when present: keep the CA the"
                                + " cluster trusts",
                        "else: a CA from the work dir " + pki.dir() + ", or a new one made there"),
                h -> {
                    CommandResult r = h.run(new RemoteCommand(script, true, RemoteCommand.DEFAULT_TIMEOUT, "", false))
                            .orThrow(h.hostName(), "etcd / read the cluster's CA");
                    String out = r.stdout();
                    int sep = out.indexOf("--- kk ---");
                    if (sep < 0) {
                        pki.all();
                        return ActionResult.unchanged("no CA on the host yet: kk's CA in " + pki.dir());
                    }
                    pki.adoptCa(out.substring(0, sep), out.substring(sep + 10), h.hostName() + ":" + dir);
                    pki.all();
                    return ActionResult.unchanged("the cluster's CA kept");
                });
    }

    static Action certificates(EtcdPki pki) {
        return Actions.of(
                "certificates",
                t -> {
                    List<String> lines = new ArrayList<>();
                    lines.add("$ mkdir -p " + EtcdCertificates.REMOTE_DIR);
                    for (String f : EtcdCertificates.filesFor(certHost(t))) {
                        lines.add("write " + EtcdCertificates.REMOTE_DIR + "/" + f + " mode "
                                + (f.endsWith("-key.pem") ? "0600" : "0644") + " when different");
                    }
                    return lines;
                },
                h -> {
                    h.sudoOk("mkdir -p " + EtcdCertificates.REMOTE_DIR + " && chmod 0700 "
                            + EtcdCertificates.REMOTE_DIR);
                    int changed = 0;
                    for (String f : EtcdCertificates.filesFor(certHost(h.target()))) {
                        if (Actions.ensure(
                                h,
                                EtcdCertificates.REMOTE_DIR + "/" + f,
                                pki.file(f),
                                f.endsWith("-key.pem") ? 0600 : 0644)) {
                            changed++;
                        }
                    }
                    return ActionResult.of(changed > 0, changed + " files written");
                });
    }

    private static EtcdCertificates.CertHost certHost(Target t) {
        return new EtcdCertificates.CertHost(
                t.name(), t.internalAddress(), t.has(Role.ETCD), t.has(Role.CONTROL_PLANE));
    }

    // --- binaries ---

    /** The sha256 of etcd and etcdctl inside the tarball, read once when first needed. */
    static final class BinarySums {
        private final Path tarball;
        private final String top;
        private Map<String, String> sums;

        BinarySums(Path tarball, String version, String arch) {
            this.tarball = tarball;
            this.top = "etcd-" + version + "-linux-" + arch + "/";
        }

        synchronized Map<String, String> get() {
            if (sums != null) {
                return sums;
            }
            if (tarball == null || !Files.isRegularFile(tarball)) {
                throw KkException.invalidInput(
                        "etcd tarball " + tarball + " does not exist",
                        "give an artifact holding etcd (-a), or run without -a to download it");
            }
            Map<String, String> out = new HashMap<>();
            try (InputStream in = Files.newInputStream(tarball);
                    TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(in))) {
                // every entry: the host unpacks the whole tarball before installing the two binaries
                io.kk.artifact.TarEntryCheck check = new io.kk.artifact.TarEntryCheck(tarball.toString());
                TarArchiveEntry e;
                while ((e = tar.getNextEntry()) != null) {
                    check.check(e);
                    String name = e.getName().replaceFirst("^\\./", "");
                    if (io.kk.artifact.TarEntryCheck.isRegularFile(e)
                            && (name.equals(top + "etcd") || name.equals(top + "etcdctl"))) {
                        java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
                        byte[] buf = new byte[65536];
                        int n;
                        while ((n = tar.read(buf)) > 0) {
                            md.update(buf, 0, n);
                        }
                        out.put(
                                name.substring(top.length()),
                                java.util.HexFormat.of().formatHex(md.digest()));
                    }
                }
            } catch (IOException | java.security.NoSuchAlgorithmException e) {
                throw KkException.failed(
                        "cannot read etcd tarball " + tarball + ": " + e.getMessage(),
                        "check or re-import the artifact");
            }
            if (!out.containsKey("etcd") || !out.containsKey("etcdctl")) {
                throw KkException.failed(
                        tarball + " holds no " + top + "etcd and " + top + "etcdctl",
                        "the file is not an etcd release tarball: re-export the artifact");
            }
            sums = Map.copyOf(out);
            return sums;
        }
    }

    static Action binaries(EtcdRequest r, BinarySums sums) {
        String tarName = "etcd-" + r.version() + "-linux-%s.tar.gz";
        String check = "sha256sum " + BIN + "/etcd " + BIN + "/etcdctl 2>/dev/null | cut -d' ' -f1";
        return Actions.of(
                "etcd and etcdctl " + r.version(),
                t -> List.of(
                        "$ " + check + "    # compare with the tarball's; act only when different",
                        "upload " + r.tarball() + " to " + TMP + "/" + tarName.formatted(t.arch()),
                        "$ " + installScript(r.version(), t.arch())),
                h -> {
                    Map<String, String> want = sums.get();
                    List<String> have = h.sudo(check).stdout().strip().lines().toList();
                    if (have.equals(List.of(want.get("etcd"), want.get("etcdctl")))) {
                        return ActionResult.unchanged(r.version());
                    }
                    // a running etcd keeps the old binary until restarted: the restart (task "etcd
                    // start") is marked due first, so neither this run nor a rerun after a kill skips it
                    Actions.followUpDue(h, RESTART_DUE);
                    h.sudoOk("mkdir -p " + TMP);
                    h.upload(
                            r.tarball(),
                            TMP + "/" + tarName.formatted(h.target().arch()),
                            0644);
                    h.sudoOk(installScript(r.version(), h.target().arch()));
                    return ActionResult.changed(r.version());
                });
    }

    static String installScript(String version, String arch) {
        String top = "etcd-" + version + "-linux-" + arch;
        return "cd " + TMP + " && tar -xzf " + top + ".tar.gz && for b in etcd etcdctl; do install -m 0755 " + top
                + "/$b " + BIN + "/.$b.kk && mv -f " + BIN + "/.$b.kk " + BIN + "/$b; done && rm -rf " + TMP + "/"
                + top;
    }

    // --- members ---

    static String localEndpoint(EtcdRequest r, Target t) {
        return Etcdctl.endpoint(t.internalAddress(), r.settings().port());
    }

    static Action probe(EtcdRequest r, HostValues<MemberState> state) {
        return Actions.of(
                "member state",
                t -> List.of(
                        "$ systemctl is-active etcd",
                        "$ " + Etcdctl.command(t.name(), localEndpoint(r, t)) + " member list    # when active",
                        "$ cat " + EtcdFiles.ENV_PATH),
                h -> {
                    boolean active = h.sudo("systemctl is-active etcd").ok();
                    Set<String> members = new TreeSet<>();
                    if (active) {
                        CommandResult list = h.sudo("for i in $(seq 1 30); do "
                                + Etcdctl.command(h.hostName(), localEndpoint(r, h.target()))
                                + " member list -w simple && exit 0; sleep 1; done; exit 1");
                        if (list.ok()) {
                            for (String line : list.stdout().lines().toList()) {
                                String[] f = line.split(",\\s*");
                                if (f.length > 2) {
                                    members.add(f[2].strip());
                                }
                            }
                        }
                    }
                    CommandResult env = h.sudo("cat " + EtcdFiles.ENV_PATH);
                    state.put(h.target(), new MemberState(active, members, env.ok() ? env.stdout() : ""));
                    return ActionResult.unchanged(active ? "running, " + members.size() + " members" : "not running");
                });
    }

    /** The names the running cluster knows, from any member that answered; empty when there is none. */
    static Set<String> runningCluster(HostValues<MemberState> state) {
        Set<String> all = new TreeSet<>();
        state.asMap().values().forEach(s -> all.addAll(s.members()));
        return all;
    }

    /**
     * The member's env file. A member already in the cluster keeps its initial-cluster lines (etcd
     * reads them only at bootstrap; rewriting them would restart a healthy member for nothing).
     */
    static String env(EtcdRequest r, Target t, MemberState s, boolean existing, Map<String, String> members) {
        String env =
                EtcdFiles.env(new EtcdFiles.Member(t.name(), t.internalAddress(), members, existing, r.settings()));
        if (s != null && s.inCluster(t.name()) && !s.envFile().isEmpty()) {
            for (String key : List.of("ETCD_INITIAL_CLUSTER", "ETCD_INITIAL_CLUSTER_STATE")) {
                String current = s.envFile()
                        .lines()
                        .filter(l -> l.startsWith(key + "="))
                        .findFirst()
                        .orElse(null);
                if (current != null) {
                    env = env.replaceFirst("(?m)^" + key + "=.*$", java.util.regex.Matcher.quoteReplacement(current));
                }
            }
        }
        return env;
    }

    static Action join(EtcdRequest r, HostValues<MemberState> state, HostValues<Boolean> configChanged) {
        return Actions.of(
                "join a running cluster",
                t -> List.of("when a cluster runs and " + EtcdFiles.memberName(t.name())
                        + " is not a member: $ etcdctl member add " + EtcdFiles.memberName(t.name())
                        + " --peer-urls=https://" + t.internalAddress() + ":"
                        + r.settings().peerPort()
                        + "; write " + EtcdFiles.ENV_PATH + " (state existing); start etcd and wait until healthy"
                        + " (a member whose data dir " + r.settings().dataDir()
                        + "/member is gone: $ etcdctl member remove <id> first)"),
                h -> {
                    Target t = h.target();
                    Set<String> cluster = runningCluster(state);
                    MemberState mine = state.get(t);
                    if (cluster.isEmpty() || mine.inCluster(t.name())) {
                        return ActionResult.skipped(cluster.isEmpty() ? "no running cluster" : "already a member");
                    }
                    // the endpoints of the other members; the new member's own certs are in place
                    Map<String, String> all = r.members();
                    List<String> endpoints = new ArrayList<>();
                    Map<String, String> initial = new LinkedHashMap<>();
                    all.forEach((name, addr) -> {
                        if (!name.equals(t.name()) && cluster.contains(EtcdFiles.memberName(name))) {
                            endpoints.add(Etcdctl.endpoint(addr, r.settings().port()));
                            initial.put(name, addr);
                        }
                    });
                    initial.put(t.name(), t.internalAddress());
                    String others = Etcdctl.command(t.name(), endpoints);
                    if (cluster.contains(EtcdFiles.memberName(t.name()))) {
                        // registered but not running here: a stopped member keeps its data and is
                        // started below; one whose data is gone (a new disk) would panic on the log
                        // it lost, so it is removed and added again as a new member
                        if (h.sudo("test -d " + r.settings().dataDir() + "/member")
                                .ok()) {
                            return ActionResult.skipped("a member, stopped: started below");
                        }
                        String id = memberId(
                                h.sudoOk(others + " member list -w simple").stdout(), t.name());
                        h.sudoOk(others + " member remove " + id);
                        h.warn("etcd member " + EtcdFiles.memberName(t.name()) + " (" + id + ") had no data on "
                                + t.name() + ": removed and added again");
                    }
                    String peerUrl = "https://" + t.internalAddress() + ":"
                            + r.settings().peerPort();
                    // added by an earlier run that was killed before this member started: etcd lists
                    // it unstarted, with no name, and refuses a second add of the same peer URL
                    if (unstartedWith(
                            h.sudoOk(others + " member list -w simple").stdout(), peerUrl)) {
                        h.warn("etcd member " + peerUrl + " was added by an earlier run and never started:"
                                + " starting it now");
                    } else {
                        h.sudoOk(others + " member add " + EtcdFiles.memberName(t.name()) + " --peer-urls=" + peerUrl);
                    }
                    PausePoints.reached("etcd:member-added:" + t.name());
                    Actions.ensure(h, EtcdFiles.ENV_PATH, env(r, t, null, true, initial), 0644);
                    Actions.ensure(h, EtcdFiles.UNIT_PATH, EtcdFiles.unit(), 0644);
                    h.sudoOk("systemctl daemon-reload && systemctl enable etcd && systemctl restart etcd");
                    configChanged.put(t, false);
                    state.put(t, new MemberState(true, Set.of(EtcdFiles.memberName(t.name())), readEnv(h)));
                    return ActionResult.changed("joined as " + EtcdFiles.memberName(t.name()));
                });
    }

    /**
     * Whether {@code etcdctl member list -w simple} output holds an unstarted member (added, never
     * run) with this peer URL. Lines: {@code ID, STATUS, NAME, PEER ADDRS, CLIENT ADDRS, IS LEARNER}.
     */
    static boolean unstartedWith(String memberList, String peerUrl) {
        for (String line : memberList.lines().toList()) {
            String[] f = line.split(",\\s*", -1);
            if (f.length > 3 && f[1].strip().equals("unstarted")) {
                for (String url : f[3].strip().split(",")) {
                    if (url.strip().equals(peerUrl)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /** The hex ID of the named member in {@code etcdctl member list -w simple} output. */
    static String memberId(String memberList, String host) {
        String name = EtcdFiles.memberName(host);
        for (String line : memberList.lines().toList()) {
            String[] f = line.split(",\\s*");
            if (f.length > 2 && f[2].strip().equals(name)) {
                return f[0].strip();
            }
        }
        throw KkException.failed(
                "etcd member " + name + " is not in the member list:\n" + memberList,
                "check the cluster with etcdctl member list");
    }

    private static String readEnv(HostContext h) {
        return h.sudoOk("cat " + EtcdFiles.ENV_PATH).stdout();
    }

    static Action config(EtcdRequest r, HostValues<MemberState> state, HostValues<Boolean> configChanged) {
        return Actions.of(
                "env and unit",
                t -> {
                    List<String> lines = new ArrayList<>();
                    lines.add("write " + EtcdFiles.ENV_PATH + " mode 0644 when different"
                            + " (a running member keeps its ETCD_INITIAL_CLUSTER* lines):");
                    EtcdFiles.env(new EtcdFiles.Member(t.name(), t.internalAddress(), r.members(), false, r.settings()))
                            .lines()
                            .forEach(l -> lines.add("| " + l));
                    lines.add("write " + EtcdFiles.UNIT_PATH + " mode 0644 when different:");
                    EtcdFiles.unit().lines().forEach(l -> lines.add("| " + l));
                    lines.add("$ systemctl daemon-reload    # when the unit changed");
                    return lines;
                },
                h -> {
                    Target t = h.target();
                    MemberState s = state.get(t);
                    boolean existing = !runningCluster(state).isEmpty();
                    // the restart these changes need is a later task: marked due on the host first,
                    // so a kill before it does not leave etcd running on the old config for good
                    boolean env = Actions.ensure(
                            h, EtcdFiles.ENV_PATH, env(r, t, s, existing, r.members()), 0644, RESTART_DUE);
                    boolean unit = Actions.ensure(h, EtcdFiles.UNIT_PATH, EtcdFiles.unit(), 0644, RESTART_DUE);
                    if (unit) {
                        h.sudoOk("systemctl daemon-reload");
                    }
                    configChanged.put(t, env || unit || configChanged.find(t).orElse(false));
                    return ActionResult.of(env || unit, (env ? "env " : "") + (unit ? "unit" : ""));
                });
    }

    static Action start(HostValues<Boolean> configChanged) {
        return Actions.of(
                "start etcd",
                t -> List.of(
                        "$ systemctl is-active etcd    # running and unchanged: nothing to do",
                        "$ systemctl enable etcd && systemctl start --no-block etcd    # when stopped (all members"
                                + " at once: a lone member waits for quorum)",
                        "$ systemctl restart --no-block etcd    # when its env or unit changed"),
                h -> {
                    boolean active = h.sudo("systemctl is-active etcd").ok();
                    boolean changed = configChanged.find(h.target()).orElse(false);
                    if (active && !changed) {
                        return ActionResult.unchanged("running");
                    }
                    h.sudoOk("systemctl enable etcd && systemctl " + (active ? "restart" : "start")
                            + " --no-block etcd");
                    Actions.followUpDone(h, RESTART_DUE);
                    return ActionResult.changed(active ? "restarted" : "started");
                });
    }

    static Action health(EtcdRequest r) {
        return Actions.of(
                "health",
                t -> List.of("$ " + Etcdctl.command(t.name(), localEndpoint(r, t))
                        + " endpoint health    # retried for up to 120 s"),
                h -> {
                    String cmd = Etcdctl.command(h.hostName(), localEndpoint(r, h.target())) + " endpoint health";
                    CommandResult res =
                            h.sudo("for i in $(seq 1 120); do " + cmd + " 2>&1 && exit 0; sleep 1; done; exit 1");
                    if (!res.ok()) {
                        String journal =
                                h.sudo("journalctl -u etcd --no-pager -n 15").stdout();
                        throw KkException.failed(
                                h.hostName() + ": etcd is not healthy after 120 s: "
                                        + lastLine(res.stdout() + res.stderr()) + "\n" + journal.strip(),
                                "check the etcd log on the host (journalctl -u etcd) and that every member can"
                                        + " reach the others on port "
                                        + r.settings().peerPort());
                    }
                    return ActionResult.unchanged("healthy");
                });
    }

    private static String lastLine(String s) {
        List<String> l = s.strip().lines().toList();
        return l.isEmpty() ? "" : l.get(l.size() - 1);
    }

    static List<Action> backup(EtcdRequest r) {
        EtcdFiles.EtcdSettings s = r.settings();
        return List.of(
                Actions.file(
                        "backup script",
                        EtcdFiles.backupScriptPath(s),
                        t -> EtcdFiles.backupScript(
                                new EtcdFiles.Member(t.name(), t.internalAddress(), r.members(), false, s)),
                        0755,
                        null),
                Actions.file(
                        "backup service",
                        EtcdFiles.BACKUP_UNIT_PATH,
                        t -> EtcdFiles.backupUnit(s),
                        0644,
                        "systemctl daemon-reload"),
                Actions.file(
                        "backup timer",
                        EtcdFiles.BACKUP_TIMER_PATH,
                        t -> EtcdFiles.backupTimer(s),
                        0644,
                        "systemctl daemon-reload"),
                Actions.service("backup timer enabled", "backup-etcd.timer"));
    }

    private static String readLocal(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw KkException.invalidInput(
                    "cannot read " + p + ": " + e.getMessage(), "check etcd.external's caFile, certFile and keyFile");
        }
    }

    static String quote(String s) {
        return Shell.quote(s);
    }
}
