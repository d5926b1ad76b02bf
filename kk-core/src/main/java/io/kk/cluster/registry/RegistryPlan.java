package io.kk.cluster.registry;

import io.kk.cluster.install.FileInstall;
import io.kk.host.CommandResult;
import io.kk.plan.Action;
import io.kk.plan.ActionResult;
import io.kk.plan.Actions;
import io.kk.plan.HostSelector;
import io.kk.plan.Module;
import io.kk.plan.Pipeline;
import io.kk.plan.Shell;
import io.kk.plan.Task;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code kk init registry}: the Docker distribution registry as a systemd service on the {@code
 * registry} host with kk's TLS certificate (and htpasswd when asked), then kk's CA and the
 * registry's name on every node. Every step compares first: a rerun changes and restarts nothing.
 */
public final class RegistryPlan {
    static final String HOSTS_BEGIN = "# kk registry BEGIN";
    static final String HOSTS_END = "# kk registry END";
    /** Restarts the registry only when it runs (a first install has no unit yet). */
    static final String RESTART = "if systemctl is-active -q registry; then systemctl restart registry; fi";

    private RegistryPlan() {}

    public static Pipeline pipeline(RegistryRequest r) {
        return Pipeline.of("init registry", module(r), trustModule(r));
    }

    /** The registry itself, on the registry host. */
    public static Module module(RegistryRequest r) {
        HostSelector host = HostSelector.named(r.registryHost());
        if (r.harborConfig() != null) {
            return Module.of(
                    "harbor",
                    Task.serial("harbor config", host, harborActions(r).toArray(Action[]::new)));
        }
        RegistryFiles.Settings s = r.settings();
        List<Action> files = new ArrayList<>();
        files.add(Actions.file(
                "ca", RegistryFiles.CERT_DIR + "/ca.pem", t -> r.certificates().caPem(), 0644, null));
        files.add(
                Actions.file("certificate", s.certFile(), t -> r.certificates().certPem(), 0644, RESTART));
        files.add(Actions.file("key", s.keyFile(), t -> r.certificates().keyPem(), 0600, RESTART));
        if (r.htpasswd() != null) {
            files.add(htpasswd(r.htpasswd()));
        }
        files.add(Actions.file("config", RegistryFiles.CONFIG_PATH, t -> RegistryFiles.config(s), 0644, RESTART));
        files.add(Actions.guarded(
                "data dir", "test -d " + Shell.quote(s.dataDir()), "mkdir -p " + Shell.quote(s.dataDir())));
        return Module.of(
                "registry",
                Task.serial("registry binary", host, FileInstall.action("registry", r.binary(), RESTART)),
                Task.serial("registry files", host, files.toArray(Action[]::new)),
                Task.serial(
                        "registry service",
                        host,
                        Actions.file(
                                "unit",
                                RegistryFiles.UNIT_PATH,
                                t -> RegistryFiles.unit(),
                                0644,
                                "systemctl daemon-reload && " + RESTART),
                        Actions.service("enable", "registry"),
                        healthCheck(s.port())));
    }

    /** kk's CA where each node's runtime looks for it, and the registry's name in /etc/hosts. */
    public static Module trustModule(RegistryRequest r) {
        List<Action> actions = new ArrayList<>();
        actions.add(Actions.file(
                "registry ca", r.nodeCaPath(), t -> r.certificates().caPem(), 0644, null));
        if (!r.registryName().matches("[0-9.]+|.*:.*:.*")) {
            actions.add(Actions.block(
                    "registry name",
                    "/etc/hosts",
                    HOSTS_BEGIN,
                    HOSTS_END,
                    t -> r.registryAddress() + "  " + r.registryName() + "\n",
                    0644));
        }
        return Module.of("trust registry", Task.parallel("registry ca", HostSelector.all(), actions));
    }

    /** Waits until the registry answers TLS on its port (a check: never a change). */
    static Action healthCheck(int port) {
        String probe = "for i in $(seq 1 100); do (exec 3<>/dev/tcp/127.0.0.1/" + port
                + ") 2>/dev/null && exit 0; sleep 0.1; done; systemctl status registry --no-pager | tail -n 5; exit 1";
        return Actions.of("health", t -> List.of("$ " + probe + "    # wait for the registry's port"), h -> {
            h.sudoOk(probe);
            return ActionResult.unchanged("listening on " + port);
        });
    }

    /** The htpasswd file, rewritten only when it does not hold this user with this password. */
    static Action htpasswd(RegistryRequest.Credentials c) {
        String path = RegistryFiles.HTPASSWD_PATH;
        return Actions.of(
                "htpasswd",
                t -> List.of(
                        "$ cat " + path + "    # compare (bcrypt)",
                        "write " + path + " mode 0600 with " + c.username() + ":<bcrypt> when different",
                        "$ " + RESTART + "    # when written"),
                h -> {
                    CommandResult cat = h.sudo("cat " + Shell.quote(path));
                    if (cat.ok()
                            && cat.stdout().lines().count() == 1
                            && RegistryFiles.htpasswdMatches(cat.stdout(), c.username(), c.password())) {
                        return ActionResult.unchanged(path);
                    }
                    Actions.ensure(h, path, RegistryFiles.htpasswdLine(c.username(), c.password()), 0600);
                    h.sudoOk(RESTART);
                    return ActionResult.changed(path);
                });
    }

    private static List<Action> harborActions(RegistryRequest r) {
        String why = "Harbor's installer runs docker compose with Harbor's own images; they are not in the"
                + " artifact and cannot run on this machine: run /opt/harbor/install.sh with Harbor's offline"
                + " installer on the registry host";
        List<Action> out = new ArrayList<>();
        out.add(Actions.file("harbor.yml", HarborFiles.CONFIG_PATH, t -> r.harborConfig(), 0600, null));
        out.add(Actions.file(
                "certificate", HarborFiles.CERT_PATH, t -> r.certificates().certPem(), 0644, null));
        out.add(Actions.file("key", HarborFiles.KEY_PATH, t -> r.certificates().keyPem(), 0600, null));
        out.add(Actions.of("harbor install", t -> List.of("NOT RUN: " + why), h -> {
            h.warn(why);
            return ActionResult.skipped("harbor install not run here");
        }));
        return out;
    }
}
