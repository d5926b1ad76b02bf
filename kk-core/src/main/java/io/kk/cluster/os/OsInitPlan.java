package io.kk.cluster.os;

import io.kk.plan.HostSelector;
import io.kk.plan.HostValues;
import io.kk.plan.Module;
import io.kk.plan.Pipeline;
import io.kk.plan.Task;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code kk init os} pipeline, in KubeKey's order: preInstall scripts, precheck, configure
 * os, postInstall scripts. The facts the precheck gathers reach the later steps as a typed {@link
 * HostValues}, handed to them here.
 */
public final class OsInitPlan {
    private OsInitPlan() {}

    public static Pipeline pipeline(OsInitRequest r) {
        HostValues<HostFacts> facts = new HostValues<>("host facts");
        List<Module> modules = new ArrayList<>();
        scripts("preInstall", r.preInstall()).ifPresent(modules::add);
        modules.add(precheck(r, facts));
        modules.add(configure(r, facts));
        scripts("postInstall", r.postInstall()).ifPresent(modules::add);
        return new Pipeline("init os", modules);
    }

    /** The precheck alone (gather facts + judge them); {@code create cluster} reuses it. */
    public static Module precheck(OsInitRequest r, HostValues<HostFacts> facts) {
        return Module.of(
                "precheck",
                Task.parallel("node facts", HostSelector.all(), Precheck.gather(facts)),
                Task.parallel("node check", HostSelector.all(), Precheck.judge(facts, r)));
    }

    /** The OS preparation; needs the facts of {@link #precheck}. */
    public static Module configure(OsInitRequest r, HostValues<HostFacts> facts) {
        List<Task> tasks = new ArrayList<>();
        tasks.add(Task.parallel("swap", HostSelector.all(), Prep.swapOff()));
        tasks.add(Task.parallel("hostname and hosts", HostSelector.all(), Prep.hostname(), Prep.etcHosts(r)));
        tasks.add(Task.parallel("packages", HostSelector.all(), new Packages(r, facts)));
        tasks.add(Task.parallel(
                "kernel", HostSelector.all(), Prep.modulesFile(r), Prep.loadModules(r, facts), Prep.sysctl()));
        if (!r.ntpServers().isEmpty() || !r.timezone().isEmpty()) {
            List<io.kk.plan.Action> time = new ArrayList<>();
            if (!r.ntpServers().isEmpty()) {
                time.add(TimeSync.chrony(r, facts));
            }
            if (!r.timezone().isEmpty()) {
                time.add(TimeSync.timezone(r.timezone()));
            }
            tasks.add(Task.parallel("time", HostSelector.all(), time));
        }
        return new Module("configure os", tasks);
    }

    private static java.util.Optional<Module> scripts(String phase, List<CustomScript> scripts) {
        if (scripts.isEmpty()) {
            return java.util.Optional.empty();
        }
        List<Task> tasks = new ArrayList<>();
        for (CustomScript s : scripts) {
            HostSelector hosts;
            try {
                hosts = HostSelector.byRoleName(s.role());
            } catch (IllegalArgumentException e) {
                throw io.kk.error.KkException.invalidInput(
                        phase + " script " + s.name() + ": unknown role " + s.role(),
                        "use etcd, master, control-plane, worker, registry, k8s or leave it empty for all hosts");
            }
            tasks.add(Task.parallel(phase + " " + s.name(), hosts, new ScriptAction(phase, s)));
        }
        return java.util.Optional.of(new Module(phase + " scripts", tasks));
    }
}
