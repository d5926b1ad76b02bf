package io.kk.cluster.install;

import io.kk.error.KkException;
import io.kk.plan.Action;
import io.kk.plan.ActionResult;
import io.kk.plan.Actions;
import io.kk.plan.HostContext;
import io.kk.plan.Shell;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Binaries from the artifact installed on a host: a bare file (runc) or chosen entries of a
 * release tarball (containerd's {@code bin/*}, the CNI plugins, the registry). The sha256 of each
 * wanted file is computed locally first; the host is compared with {@code sha256sum -c}, and the
 * archive is uploaded and unpacked only when a file is missing or differs.
 */
public final class FileInstall {
    private FileInstall() {}

    /** One file to place: where it comes from inside the archive, where it goes, its sha256. */
    public record Placed(String entry, String remotePath, String sha256) {}

    /** What an install places, computed from the local file (the archive is read once). */
    public record Plan(Path source, boolean tarball, List<Placed> files) {
        public Plan {
            files = List.copyOf(files);
        }

        /** The script whose success means every file is in place with the right content. */
        public String checkScript() {
            StringBuilder b = new StringBuilder("printf '%s\\n'");
            for (Placed p : files) {
                b.append(' ').append(Shell.quote(p.sha256() + "  " + p.remotePath()));
            }
            return b.append(" | sha256sum -c --quiet --status -").toString();
        }
    }

    /** A bare binary (e.g. {@code runc.amd64}) placed at {@code remotePath}. */
    public static Plan file(Path source, String remotePath) {
        return new Plan(source, false, List.of(new Placed("", remotePath, sha256(source))));
    }

    /**
     * Regular files of a .tar.gz whose entry name {@code pick} accepts, each placed in {@code
     * remoteDir} under its base name.
     */
    public static Plan fromTarball(Path tarball, Predicate<String> pick, String remoteDir) {
        Map<String, Placed> out = new LinkedHashMap<>();
        try (InputStream in = new GZIPInputStream(new BufferedInputStream(Files.newInputStream(tarball)));
                TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
            // every entry, not only the picked ones: tar on the host unpacks them all
            io.kk.artifact.TarEntryCheck check = new io.kk.artifact.TarEntryCheck(tarball.toString());
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                check.check(e);
                String name = e.getName();
                if (!io.kk.artifact.TarEntryCheck.isRegularFile(e) || !pick.test(name)) {
                    continue;
                }
                String base = name.substring(name.lastIndexOf('/') + 1);
                out.put(base, new Placed(name, remoteDir + "/" + base, sha256(tar)));
            }
        } catch (IOException e) {
            throw KkException.environment(
                    "cannot read " + tarball + ": " + io.kk.error.Causes.describe(e),
                    "check the artifact (kk artifact verify)");
        }
        if (out.isEmpty()) {
            throw KkException.environment(
                    tarball + " holds none of the files kk installs from it", "check the artifact's contents");
        }
        return new Plan(tarball, true, new ArrayList<>(out.values()));
    }

    /**
     * The action: compare, and when anything differs upload the source to a temporary path, unpack
     * it there and {@code install} each file with mode 0755. {@code onChange} (may be null) runs
     * after a change, e.g. a try-restart of the service using the binaries.
     */
    public static Action action(String name, Plan plan, String onChange) {
        return Actions.of(
                name,
                t -> {
                    List<String> lines = new ArrayList<>();
                    lines.add("$ " + plan.checkScript() + "    # compare; install only when it fails");
                    lines.add("upload " + plan.source() + " and install:");
                    plan.files()
                            .forEach(p -> lines.add("| " + p.remotePath() + " sha256 "
                                    + p.sha256().substring(0, 12)));
                    if (onChange != null) {
                        lines.add("$ " + onChange + "    # when installed");
                    }
                    return lines;
                },
                h -> apply(h, plan, onChange));
    }

    private static ActionResult apply(HostContext h, Plan plan, String onChange) {
        // the binaries in place but onChange (the restart onto them) never ran: a killed earlier run
        String followUp = "install" + plan.files().get(0).remotePath();
        if (h.sudo(plan.checkScript()).ok()) {
            if (onChange != null && Actions.isFollowUpDue(h, followUp)) {
                h.sudoOk(onChange);
                Actions.followUpDone(h, followUp);
                return ActionResult.changed(onChange);
            }
            return ActionResult.unchanged(plan.files().size() + " files");
        }
        if (onChange != null) {
            Actions.followUpDue(h, followUp);
        }
        String tmp = "/tmp/kk-install-" + plan.files().get(0).sha256().substring(0, 16);
        String upload = tmp + "/" + plan.source().getFileName();
        h.sudoOk("rm -rf " + Shell.quote(tmp) + " && mkdir -p " + Shell.quote(tmp));
        h.upload(plan.source(), upload, 0644);
        StringBuilder script = new StringBuilder("set -e; cd " + Shell.quote(tmp) + "; ");
        if (plan.tarball()) {
            script.append("tar -xzf ")
                    .append(Shell.quote(upload))
                    .append(" -C ")
                    .append(Shell.quote(tmp));
            for (Placed p : plan.files()) {
                script.append(' ').append(Shell.quote(p.entry()));
            }
            script.append("; ");
        }
        for (Placed p : plan.files()) {
            String from = plan.tarball() ? tmp + "/" + p.entry() : upload;
            script.append("install -D -m 0755 ")
                    .append(Shell.quote(from))
                    .append(' ')
                    .append(Shell.quote(p.remotePath()))
                    .append("; ");
        }
        script.append("rm -rf ").append(Shell.quote(tmp));
        h.sudoOk(script.toString());
        h.sudoOk(plan.checkScript());
        if (onChange != null) {
            h.sudoOk(onChange);
            Actions.followUpDone(h, followUp);
        }
        return ActionResult.changed(plan.files().size() + " files");
    }

    static String sha256(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return sha256(in);
        } catch (IOException e) {
            throw KkException.environment(
                    "cannot read " + file + ": " + io.kk.error.Causes.describe(e), "check the artifact");
        }
    }

    private static String sha256(InputStream in) throws IOException {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            try (DigestInputStream d = new DigestInputStream(in, md) {
                @Override
                public void close() {
                    // the tar stream stays open for the next entry
                }
            }) {
                d.transferTo(OutputStreamNull.INSTANCE);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final class OutputStreamNull extends java.io.OutputStream {
        static final OutputStreamNull INSTANCE = new OutputStreamNull();

        @Override
        public void write(int b) {}

        @Override
        public void write(byte[] b, int off, int len) {}
    }

    /**
     * The one file under {@code artifactDir} at KubeKey's path {@code <type>/<version>/<arch>/}
     * whose name matches: the config's version when that exists, else the only version present.
     */
    public static Path find(Path artifactDir, String type, String version, String arch, Predicate<String> name) {
        Path typeDir = artifactDir.resolve(type);
        List<Path> found = new ArrayList<>();
        try {
            if (Files.isDirectory(typeDir)) {
                try (var s = Files.find(
                        typeDir,
                        3,
                        (p, a) -> a.isRegularFile()
                                && p.getParent().getFileName().toString().equals(arch)
                                && name.test(p.getFileName().toString()))) {
                    s.sorted().forEach(found::add);
                }
            }
        } catch (IOException e) {
            throw KkException.environment(
                    "cannot read " + typeDir + ": " + io.kk.error.Causes.describe(e), "check the artifact");
        }
        if (version != null && !version.isEmpty()) {
            for (Path p : found) {
                if (typeDir.relativize(p).getName(0).toString().equals(version)) {
                    return p;
                }
            }
        }
        if (found.size() == 1) {
            return found.get(0);
        }
        throw KkException.invalidInput(
                found.isEmpty()
                        ? "the artifact " + artifactDir + " has no " + type + " for " + arch
                        : "the artifact " + artifactDir + " has several " + type + " versions for " + arch + ": "
                                + found.stream()
                                        .map(p ->
                                                typeDir.relativize(p).getName(0).toString())
                                        .toList(),
                "export an artifact holding " + type + (version == null || version.isEmpty() ? "" : " " + version));
    }
}
