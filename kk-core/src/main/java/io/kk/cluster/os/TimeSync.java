package io.kk.cluster.os;

import io.kk.plan.Action;
import io.kk.plan.ActionResult;
import io.kk.plan.Actions;
import io.kk.plan.HostContext;
import io.kk.plan.HostValues;
import io.kk.plan.Shell;
import io.kk.plan.Target;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** chrony (when {@code ntpServers} is set) and the time zone (when {@code timezone} is set). */
final class TimeSync {
    private TimeSync() {}

    /**
     * The chrony config for a host. A server given as an inventory host name is replaced by that
     * host's address; the host itself serves time to the others (KubeKey: {@code allow 0.0.0.0/0}).
     */
    static String chronyConf(OsInitRequest r, Target host) {
        StringBuilder sb = new StringBuilder("# written by kk init os\n");
        boolean isServer = false;
        for (String s : r.ntpServers()) {
            Optional<Target> inv =
                    r.hosts().stream().filter(t -> t.name().equals(s)).findFirst();
            if (inv.isPresent() && inv.get().name().equals(host.name())) {
                isServer = true;
                continue;
            }
            sb.append("server ")
                    .append(inv.map(Target::internalAddress).orElse(s))
                    .append(" iburst\n");
        }
        if (isServer) {
            sb.append("allow 0.0.0.0/0\nallow ::/0\nlocal stratum 10\n");
        }
        sb.append("driftfile /var/lib/chrony/drift\nmakestep 1.0 3\nrtcsync\nlogdir /var/log/chrony\n");
        return sb.toString();
    }

    static String chronyPath(OsRelease.Family family) {
        return family == OsRelease.Family.DEBIAN ? "/etc/chrony/chrony.conf" : "/etc/chrony.conf";
    }

    static String chronyUnit(OsRelease.Family family) {
        return family == OsRelease.Family.DEBIAN ? "chrony" : "chronyd";
    }

    static Action chrony(OsInitRequest r, HostValues<HostFacts> facts) {
        return new Action() {
            @Override
            public String name() {
                return "chrony";
            }

            @Override
            public List<String> describe(Target t) {
                List<String> lines = new ArrayList<>();
                lines.add("file /etc/chrony/chrony.conf (debian family) or /etc/chrony.conf (rhel family):");
                chronyConf(r, t).lines().forEach(l -> lines.add("| " + l));
                lines.add("$ systemctl restart chrony    # (chronyd on rhel) when written");
                lines.add("$ systemctl is-enabled chrony && systemctl is-active chrony    # else enable --now");
                return lines;
            }

            @Override
            public ActionResult apply(HostContext h) {
                OsRelease.Family family = facts.get(h.target()).os().family();
                String unit = chronyUnit(family);
                boolean changed = Actions.ensure(h, chronyPath(family), chronyConf(r, h.target()), 0644, "chrony");
                if (changed) {
                    h.sudoOk("systemctl enable " + unit + " && systemctl restart " + unit);
                    Actions.followUpDone(h, "chrony");
                    return ActionResult.changed(chronyPath(family));
                }
                if (!h.sudo("systemctl is-enabled " + unit + " && systemctl is-active " + unit)
                        .ok()) {
                    h.sudoOk("systemctl enable --now " + unit);
                    return ActionResult.changed(unit + " started");
                }
                return ActionResult.unchanged(chronyPath(family));
            }
        };
    }

    static Action timezone(String tz) {
        String zone = Shell.quote("/usr/share/zoneinfo/" + tz);
        String check = "[ \"$(readlink -f /etc/localtime)\" = \"$(readlink -f " + zone + ")\" ]";
        String set = "test -e " + zone + " && (timedatectl set-timezone " + Shell.quote(tz)
                + " 2>/dev/null || ln -sf " + zone + " /etc/localtime) && (test ! -f /etc/timezone || echo "
                + Shell.quote(tz) + " > /etc/timezone)";
        return Actions.guarded("timezone " + tz, check, set);
    }
}
