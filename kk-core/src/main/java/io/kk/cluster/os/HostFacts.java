package io.kk.cluster.os;

import java.util.List;
import java.util.Set;

/**
 * What the precheck found on one host; later steps read it (package manager, paths) through a
 * {@link io.kk.plan.HostValues}.
 *
 * @param arch the host's architecture in Go/OCI words (amd64, arm64), from {@code uname -m}
 * @param driftSeconds host clock minus the control machine's clock, in seconds
 * @param commands the commands found on the host (of those kk asked about)
 * @param listeningPorts TCP ports something listens on
 * @param runningServices the services of a cluster kk may have installed before (etcd, kubelet)
 *     that run on the host: their ports being in use is a rerun, not a conflict
 * @param swapOn true when swap is active
 * @param ipvs true when the ip_vs module is loaded or available
 */
public record HostFacts(
        OsRelease os,
        String kernel,
        String arch,
        long driftSeconds,
        Set<String> commands,
        Set<Integer> listeningPorts,
        Set<String> runningServices,
        boolean swapOn,
        boolean ipvs) {

    public HostFacts {
        commands = Set.copyOf(commands);
        listeningPorts = Set.copyOf(listeningPorts);
        runningServices = Set.copyOf(runningServices);
    }

    public boolean has(String command) {
        return commands.contains(command);
    }

    /** The kernel's major and minor version, e.g. [5, 10]; [0, 0] when unreadable. */
    public List<Integer> kernelVersion() {
        java.util.regex.Matcher m =
                java.util.regex.Pattern.compile("^(\\d+)\\.(\\d+)").matcher(kernel);
        return m.find() ? List.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))) : List.of(0, 0);
    }
}
