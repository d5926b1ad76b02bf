package io.kk.cluster.os;

import io.kk.error.KkException;
import io.kk.iso.Iso9660;
import io.kk.plan.Action;
import io.kk.plan.ActionResult;
import io.kk.plan.HostContext;
import io.kk.plan.HostValues;
import io.kk.plan.Shell;
import io.kk.plan.Target;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The OS dependencies (KubeKey's list: socat, conntrack, ebtables, ipset, ipvsadm, chrony, plus
 * openssl on RPM systems and the config's debs/rpms), installed only when some are missing.
 *
 * <p>Offline, the ISO is uploaded to /tmp/kubekey (skipped when the same file is there), mounted
 * on a loop device and used as the only package source for this one install. Unlike KubeKey, the
 * system's own source lists are never moved: apt and yum are pointed at a temporary list through
 * their options, so an interrupted run leaves nothing to restore. The ISO is unmounted on exit.
 */
final class Packages implements Action {
    static final String WORK = "/tmp/kubekey";
    static final String MOUNT = WORK + "/iso";
    static final String UNPACKED = WORK + "/iso-files";
    /** Whether this host can loop-mount an ISO: an iso9660 driver (built in or loadable) and loop devices. */
    static final String CAN_MOUNT = "(grep -qw iso9660 /proc/filesystems || modprobe iso9660 2>/dev/null)"
            + " && grep -qw iso9660 /proc/filesystems && test -e /dev/loop-control";

    private static final java.util.Map<String, Path> TARS = new java.util.HashMap<>();
    static final List<String> DEBIAN = List.of("socat", "conntrack", "ebtables", "ipset", "ipvsadm", "chrony");
    static final List<String> RHEL = List.of("openssl", "socat", "conntrack", "ebtables", "ipset", "ipvsadm", "chrony");

    private final OsInitRequest request;
    private final HostValues<HostFacts> facts;

    Packages(OsInitRequest request, HostValues<HostFacts> facts) {
        this.request = request;
        this.facts = facts;
    }

    @Override
    public String name() {
        return "os packages";
    }

    List<String> wanted(OsRelease.Family family, HostFacts f) {
        Set<String> p = new LinkedHashSet<>(family == OsRelease.Family.DEBIAN ? DEBIAN : RHEL);
        p.addAll(family == OsRelease.Family.DEBIAN ? request.debs() : request.rpms());
        if (f != null && !f.has("openssl")) {
            p.add("openssl");
        }
        if (f != null && !f.has("curl") && !f.has("wget")) {
            p.add("curl");
        }
        return List.copyOf(p);
    }

    static String check(OsRelease.Family family, List<String> pkgs) {
        String list = Shell.quoteAll(pkgs);
        return family == OsRelease.Family.DEBIAN
                // dpkg -s also succeeds for removed packages whose config files remain; count real installs
                ? "test \"$(dpkg-query -W -f='${Status}\\n' " + list
                        + " 2>/dev/null | grep -c 'install ok installed')\" = " + pkgs.size()
                : "rpm -q --whatprovides " + list + " >/dev/null 2>&1";
    }

    static String installOnline(OsRelease.Family family, List<String> pkgs) {
        String list = Shell.quoteAll(pkgs);
        return family == OsRelease.Family.DEBIAN
                ? "export DEBIAN_FRONTEND=noninteractive; apt-get update -qq && apt-get install -y -qq " + list
                : "yum install -y " + list;
    }

    /** Installs from a mounted ISO, unmounted again when the command exits. */
    static String installFromIso(OsRelease.Family family, String remoteIso, List<String> pkgs) {
        String mount = "mkdir -p " + MOUNT + " && (mountpoint -q " + MOUNT + " || mount -t iso9660 -o loop,ro "
                + Shell.quote(remoteIso) + " " + MOUNT + ") && trap 'umount " + MOUNT + "' EXIT && ";
        return mount + installFromRepo(family, MOUNT, pkgs);
    }

    /** Installs from the ISO's files shipped as a tar, removed again when the command exits. */
    static String installFromTar(OsRelease.Family family, String remoteTar, List<String> pkgs) {
        return "rm -rf " + UNPACKED + " && mkdir -p " + UNPACKED + " && tar -xf " + Shell.quote(remoteTar) + " -C "
                + UNPACKED + " && trap 'rm -rf " + UNPACKED + "' EXIT && " + installFromRepo(family, UNPACKED, pkgs);
    }

    private static String installFromRepo(OsRelease.Family family, String repo, List<String> pkgs) {
        String list = Shell.quoteAll(pkgs);
        if (family == OsRelease.Family.DEBIAN) {
            String opts = "-o Dir::Etc::SourceList=" + WORK + "/kubekey.list -o Dir::Etc::SourceParts=/dev/null"
                    + " -o Dir::State::Lists=" + WORK + "/apt-lists";
            return "mkdir -p " + WORK + "/apt-lists/partial && echo 'deb [trusted=yes] file://" + repo
                    + " ./' > " + WORK + "/kubekey.list && export DEBIAN_FRONTEND=noninteractive && apt-get " + opts
                    + " update -qq && apt-get " + opts + " install -y -qq " + list;
        }
        return "mkdir -p " + WORK
                + "/yum.repos.d && printf '[kubekey-local]\\nname=kubekey-local\\nbaseurl=file://"
                + repo + "\\nenabled=1\\ngpgcheck=0\\n' > " + WORK
                + "/yum.repos.d/kubekey.repo && yum --setopt=reposdir="
                + WORK + "/yum.repos.d --disablerepo='*' --enablerepo=kubekey-local install -y " + list;
    }

    /**
     * The ISO's files as a tar on the control machine, made once per ISO (by path, size and time):
     * for hosts whose kernel cannot mount iso9660 or has no loop devices.
     */
    static synchronized Path unpackedTar(Path iso) {
        try {
            String key = iso.toAbsolutePath() + "|" + Files.size(iso) + "|"
                    + Files.getLastModifiedTime(iso).toMillis();
            Path cached = TARS.get(key);
            if (cached != null && Files.isRegularFile(cached)) {
                return cached;
            }
            Path dir = Files.createTempDirectory("kk-iso-");
            dir.toFile().deleteOnExit();
            Path tar = dir.resolve(iso.getFileName() + ".tar");
            try (java.io.OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(tar))) {
                Iso9660.toTar(iso, out);
            }
            tar.toFile().deleteOnExit();
            TARS.put(key, tar);
            return tar;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Override
    public List<String> describe(Target t) {
        List<String> lines = new ArrayList<>();
        lines.add("debian family: " + String.join(" ", wanted(OsRelease.Family.DEBIAN, null)) + " "
                + "+ openssl/curl when missing");
        lines.add("rhel family: " + String.join(" ", wanted(OsRelease.Family.RHEL, null)) + " + curl when missing");
        lines.add("$ " + check(OsRelease.Family.DEBIAN, List.of("<packages>"))
                + "    # or rpm -q; act only when some are missing");
        String iso = request.packages().describe(t.arch());
        if (iso.isEmpty()) {
            lines.add("$ " + installOnline(OsRelease.Family.DEBIAN, List.of("<packages>")));
            lines.add("$ " + installOnline(OsRelease.Family.RHEL, List.of("<packages>")));
        } else {
            lines.add("$ " + CAN_MOUNT + "    # can this kernel loop-mount an ISO?");
            lines.add("upload " + iso + " -> " + WORK + "/<its file name> (skipped when sha256 matches)");
            lines.add("$ " + installFromIso(OsRelease.Family.DEBIAN, WORK + "/<iso>", List.of("<packages>")));
            lines.add("$ " + installFromIso(OsRelease.Family.RHEL, WORK + "/<iso>", List.of("<packages>")));
            lines.add("if not: upload the ISO's files unpacked by kk as " + WORK + "/<iso>.tar, then");
            lines.add("$ " + installFromTar(OsRelease.Family.DEBIAN, WORK + "/<iso>.tar", List.of("<packages>")));
        }
        return lines.stream()
                .map(l -> l.replace("'<packages>'", "<packages>")
                        .replace("'/tmp/kubekey/<iso>'", "/tmp/kubekey/<iso>")
                        .replace("'/tmp/kubekey/<iso>.tar'", "/tmp/kubekey/<iso>.tar")
                        .replace(")\" = 1 ", ")\" = <count> "))
                .toList();
    }

    @Override
    public ActionResult apply(HostContext h) {
        HostFacts f = facts.get(h.target());
        OsRelease.Family family = f.os().family();
        List<String> pkgs = wanted(family, f);
        if (h.sudo(check(family, pkgs)).ok()) {
            return ActionResult.unchanged(String.join(" ", pkgs));
        }
        Path localIso = request.packages().isoFor(h.target().arch(), f.os()).orElse(null);
        if (localIso == null) {
            h.sudoOk(installOnline(family, pkgs));
            return ActionResult.changed("installed from the OS repositories: " + String.join(" ", pkgs));
        }
        if (!Files.isRegularFile(localIso)) {
            throw KkException.invalidInput(
                    h.hostName() + ": no package ISO for " + f.os() + " "
                            + h.target().arch() + " at " + localIso,
                    "build the artifact with this OS in its manifest's operatingSystems, or install the packages" + " ("
                            + String.join(" ", pkgs) + ") by hand");
        }
        if (h.sudo(CAN_MOUNT).ok()) {
            String remoteIso = WORK + "/" + localIso.getFileName();
            h.upload(localIso, remoteIso, 0644);
            h.sudoOk(installFromIso(family, remoteIso, pkgs));
            return ActionResult.changed("installed from " + localIso.getFileName() + ": " + String.join(" ", pkgs));
        }
        // no iso9660 driver or loop device here (containers, minimal kernels): ship the ISO's files
        Path tar = unpackedTar(localIso);
        String remoteTar = WORK + "/" + tar.getFileName();
        h.upload(tar, remoteTar, 0644);
        h.sudoOk(installFromTar(family, remoteTar, pkgs));
        return ActionResult.changed("installed from " + localIso.getFileName() + " (unpacked by kk: this kernel cannot"
                + " mount it): " + String.join(" ", pkgs));
    }
}
