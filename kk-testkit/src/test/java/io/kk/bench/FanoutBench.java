package io.kk.bench;

import io.kk.event.EventSink;
import io.kk.host.HostAccess;
import io.kk.host.RemoteCommand;
import io.kk.host.UploadResult;
import io.kk.host.ssh.SshRemoteFactory;
import io.kk.plan.Action;
import io.kk.plan.ActionResult;
import io.kk.plan.Actions;
import io.kk.plan.HostSelector;
import io.kk.plan.Inventory;
import io.kk.plan.Module;
import io.kk.plan.Pipeline;
import io.kk.plan.PlanReport;
import io.kk.plan.PlanRunner;
import io.kk.plan.RunOptions;
import io.kk.plan.Target;
import io.kk.plan.Task;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * kk's side of {@code bench/fanout.sh}: uploads files to every node through the real path (a
 * Pipeline of upload actions run by PlanRunner over SshRemoteFactory, hosts in parallel) and, in
 * the same run, times OpenSSH {@code scp} of the same files to each node one after another.
 * Rounds alternate scp and kk so that a change in the machine's load hits both. Prints one
 * {@code key value} line per figure (seconds) for the script to show.
 *
 * <p>Usage: {@code FanoutBench --key FILE --nodes A,B,... --dest DIR --rounds N --parallel N FILE...}
 */
public final class FanoutBench {
    private FanoutBench() {}

    public static void main(String[] args) throws Exception {
        Path key = null;
        List<String> nodes = new ArrayList<>();
        String dest = "/opt/kk-fanout";
        int rounds = 3;
        int parallel = 5;
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--key" -> key = Path.of(args[++i]);
                case "--nodes" -> nodes.addAll(List.of(args[++i].split(",")));
                case "--dest" -> dest = args[++i];
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--parallel" -> parallel = Integer.parseInt(args[++i]);
                default -> files.add(Path.of(args[i]));
            }
        }
        if (key == null || nodes.isEmpty() || files.isEmpty()) {
            throw new IllegalArgumentException("usage: --key FILE --nodes A,B,... [--dest DIR] [--rounds N] FILE...");
        }
        Path work = Files.createTempDirectory("kk-fanout-");
        try {
            new Run(key, nodes, dest, parallel, files, work).rounds(rounds);
        } finally {
            try (var s = Files.walk(work)) {
                s.sorted(java.util.Comparator.reverseOrder())
                        .forEach(p -> p.toFile().delete());
            }
        }
    }

    private record Run(Path key, List<String> nodes, String dest, int parallel, List<Path> files, Path work) {

        void rounds(int n) throws Exception {
            long bytes = 0;
            for (Path f : files) {
                bytes += Files.size(f);
            }
            System.out.printf(
                    Locale.ROOT,
                    "payload %d files %.1f MiB to %d nodes (%.1f MiB in all)%n",
                    files.size(),
                    bytes / 1048576.0,
                    nodes.size(),
                    bytes * nodes.size() / 1048576.0);
            List<Double> scp = new ArrayList<>();
            List<Double> kk = new ArrayList<>();
            List<Double> kkUnchanged = new ArrayList<>();
            for (int r = 1; r <= n; r++) {
                clear();
                double s = scpAll();
                clear();
                double k = kk(true);
                if (r == 1) {
                    verify();
                }
                double u = kk(false);
                System.out.printf(
                        Locale.ROOT,
                        "round %d: scp %.2f s, kk %.2f s, kk unchanged %.2f s, ratio %.2f (load %s)%n",
                        r,
                        s,
                        k,
                        u,
                        s / k,
                        loadAverage());
                scp.add(s);
                kk.add(k);
                kkUnchanged.add(u);
            }
            double ms = median(scp);
            double mk = median(kk);
            System.out.printf(Locale.ROOT, "median of %d rounds:%n", n);
            System.out.printf(Locale.ROOT, "  scp, node after node:      %6.2f s%n", ms);
            System.out.printf(Locale.ROOT, "  kk, nodes in parallel:     %6.2f s%n", mk);
            System.out.printf(Locale.ROOT, "  kk again, all unchanged:   %6.2f s%n", median(kkUnchanged));
            System.out.printf(Locale.ROOT, "ratio scp/kk: %.2f (target >= 3)%n", ms / mk);
            clear();
        }

        /** OpenSSH scp of all files, node after node; each node's destination directory exists. */
        double scpAll() throws Exception {
            long start = System.nanoTime();
            for (String node : nodes) {
                List<String> cmd = new ArrayList<>(List.of(
                        "scp",
                        "-q",
                        "-i",
                        key.toString(),
                        "-o",
                        "StrictHostKeyChecking=no",
                        "-o",
                        "UserKnownHostsFile=/dev/null",
                        "-o",
                        "LogLevel=ERROR",
                        "-o",
                        "BatchMode=yes"));
                files.forEach(f -> cmd.add(f.toString()));
                cmd.add("root@" + node + ":" + dest + "/");
                Process p = new ProcessBuilder(cmd).inheritIO().start();
                if (p.waitFor() != 0) {
                    throw new IllegalStateException("scp to " + node + " failed: exit " + p.exitValue());
                }
            }
            return seconds(start);
        }

        /** One kk run (connect, log in, upload all files to all nodes); fails unless all changed / none did. */
        double kk(boolean expectChanged) {
            List<Target> targets = new ArrayList<>();
            Map<String, HostAccess> access = new LinkedHashMap<>();
            for (int i = 0; i < nodes.size(); i++) {
                String name = "node" + (i + 1);
                targets.add(Target.of(name, nodes.get(i), "amd64"));
                access.put(name, HostAccess.of(name, nodes.get(i)).withPrivateKeyPath(key));
            }
            List<Action> uploads = new ArrayList<>();
            for (Path f : files) {
                String remote = dest + "/" + f.getFileName();
                uploads.add(Actions.of(
                        "upload " + f.getFileName(),
                        t -> List.of("upload " + f + " to " + remote),
                        h -> ActionResult.of(h.upload(f, remote, 0755) == UploadResult.UPLOADED, remote)));
            }
            Pipeline pipeline = Pipeline.of(
                    "fanout", Module.of("binaries", Task.parallel("upload binaries", HostSelector.all(), uploads)));
            // A fresh factory per run: connecting and logging in are part of what is timed.
            SshRemoteFactory.Options options = SshRemoteFactory.Options.of(work.resolve("known_hosts"), EventSink.NONE)
                    .withInsecureSkipHostKeyCheck(true);
            long start = System.nanoTime();
            PlanReport report;
            try (SshRemoteFactory ssh = new SshRemoteFactory(options)) {
                PlanRunner runner = new PlanRunner(
                        t -> ssh.remote(access.get(t.name())),
                        RunOptions.defaults().withParallel(parallel),
                        // retries after a dropped connection are said: a timed run that needed one
                        // is not a clean measurement
                        e -> {
                            if (e instanceof io.kk.event.Note note) {
                                System.err.println("kk: " + note);
                            }
                        });
                report = runner.run(pipeline, new Inventory(targets));
            }
            double took = seconds(start);
            report.orThrow();
            int want = files.size() * nodes.size();
            int got = expectChanged
                    ? report.total(io.kk.plan.Outcome.CHANGED)
                    : report.total(io.kk.plan.Outcome.UNCHANGED);
            if (got != want) {
                throw new IllegalStateException(
                        (expectChanged ? "changed" : "unchanged") + " uploads: " + got + " of " + want);
            }
            return took;
        }

        /** The remote files have the local files' sha256 (checked once, not timed). */
        void verify() throws IOException {
            StringBuilder expected = new StringBuilder();
            for (Path f : files) {
                expected.append(sha256(f)).append('\n');
            }
            forEachNode((node, remote) -> {
                StringBuilder script = new StringBuilder();
                for (Path f : files) {
                    script.append("sha256sum < ")
                            .append(dest)
                            .append('/')
                            .append(f.getFileName())
                            .append(" | cut -d' ' -f1; ");
                }
                String got = remote.run(RemoteCommand.plain(script.toString())).stdout();
                if (!got.contentEquals(expected)) {
                    throw new IllegalStateException(node + ": uploaded files differ from the local ones");
                }
            });
        }

        void clear() {
            forEachNode((node, remote) -> remote.run(RemoteCommand.plain("rm -rf " + dest + " && mkdir -p " + dest))
                    .orThrow(node, "clearing " + dest));
        }

        interface NodeWork {
            void on(String node, io.kk.host.Remote remote);
        }

        void forEachNode(NodeWork work) {
            SshRemoteFactory.Options options = SshRemoteFactory.Options.of(
                            this.work.resolve("known_hosts"), EventSink.NONE)
                    .withInsecureSkipHostKeyCheck(true);
            try (SshRemoteFactory ssh = new SshRemoteFactory(options)) {
                for (String node : nodes) {
                    work.on(node, ssh.remote(HostAccess.of(node, node).withPrivateKeyPath(key)));
                }
            }
        }

        static String sha256(Path f) throws IOException {
            try (var in = new java.security.DigestInputStream(
                    Files.newInputStream(f), java.security.MessageDigest.getInstance("SHA-256"))) {
                in.transferTo(java.io.OutputStream.nullOutputStream());
                return java.util.HexFormat.of().formatHex(in.getMessageDigest().digest());
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        static String loadAverage() {
            try {
                String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
                return f[0] + " " + f[1] + " " + f[2];
            } catch (IOException e) {
                return "unknown";
            }
        }

        static double seconds(long start) {
            return (System.nanoTime() - start) / 1e9;
        }

        static double median(List<Double> xs) {
            List<Double> s = new ArrayList<>(xs);
            s.sort(null);
            int m = s.size() / 2;
            return s.size() % 2 == 1 ? s.get(m) : (s.get(m - 1) + s.get(m)) / 2;
        }
    }
}
