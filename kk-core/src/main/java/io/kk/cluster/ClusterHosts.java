package io.kk.cluster;

import io.kk.config.ClusterConfig;
import io.kk.config.Host;
import io.kk.host.HostAccess;
import io.kk.plan.Inventory;
import io.kk.plan.RemoteFactory;
import io.kk.plan.Role;
import io.kk.plan.Target;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Cluster config's hosts as the plan engine and the SSH layer need them: targets with roles,
 * and how to log in to each. The one place where {@code config} meets {@code plan} and {@code host}.
 */
public final class ClusterHosts {
    private ClusterHosts() {}

    /** Every host in config order with its roles (master and control-plane are one role). */
    public static Inventory inventory(ClusterConfig c) {
        return new Inventory(c.hosts().stream().map(h -> target(c, h)).toList());
    }

    public static Target target(ClusterConfig c, Host h) {
        EnumSet<Role> roles = EnumSet.noneOf(Role.class);
        for (Role r : Role.values()) {
            if (c.hasRole(h, r)) {
                roles.add(r);
            }
        }
        return new Target(h.name(), h.internalIPv4(), roles, h.arch());
    }

    /** How to log in to each host, by name; {@code home} expands {@code ~/} in key paths. */
    public static Map<String, HostAccess> access(ClusterConfig c, Path home) {
        Map<String, HostAccess> out = new LinkedHashMap<>();
        for (Host h : c.hosts()) {
            HostAccess a = HostAccess.of(h.name(), h.address())
                    .withPort(h.port())
                    .withUser(h.user())
                    .withConnectTimeout(Duration.ofSeconds(h.timeout() > 0 ? h.timeout() : 30));
            if (h.password() != null && !h.password().isEmpty()) {
                a = a.withPassword(h.password());
            }
            if (h.privateKey() != null && !h.privateKey().isEmpty()) {
                a = a.withPrivateKey(h.privateKey());
            }
            Path key = h.privateKeyFile(home);
            if (key != null) {
                a = a.withPrivateKeyPath(key);
            }
            out.put(h.name(), a);
        }
        return out;
    }

    /** The plan engine's view of an SSH factory: open the Remote of a target by its name. */
    public static RemoteFactory remotes(Map<String, HostAccess> access, io.kk.host.RemoteFactory ssh) {
        return target -> {
            HostAccess a = access.get(target.name());
            if (a == null) {
                throw io.kk.error.KkException.internal("no login for host " + target.name(), null);
            }
            return ssh.remote(a);
        };
    }

    /** Names of hosts, for messages. */
    public static List<String> names(Inventory inv) {
        return inv.hosts().stream().map(Target::name).toList();
    }
}
