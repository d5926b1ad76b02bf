package io.kk.plan;

import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * A host as the plan engine sees it.
 *
 * @param name the host name from the config, used in every message
 * @param internalAddress the cluster-internal address
 * @param roles what the host is for
 * @param arch amd64 or arm64, as the config says (KubeKey does not detect it)
 */
public record Target(String name, String internalAddress, Set<Role> roles, String arch) {
    public Target {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(internalAddress, "internalAddress");
        roles = roles.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(roles));
        arch = arch == null || arch.isBlank() ? "amd64" : arch;
    }

    public static Target of(String name, String internalAddress, String arch, Role... roles) {
        return new Target(name, internalAddress, roles.length == 0 ? Set.of() : EnumSet.of(roles[0], roles), arch);
    }

    public boolean has(Role role) {
        return roles.contains(role);
    }

    /** KubeKey's hidden {@code k8s} role: a control-plane node or a worker. */
    public boolean isK8s() {
        return has(Role.CONTROL_PLANE) || has(Role.WORKER);
    }

    @Override
    public String toString() {
        return name;
    }
}
