package io.kk.plan;

import java.util.ArrayList;
import java.util.List;

/**
 * The {@code --dry-run} view of a pipeline: per host, every task and action that would run and
 * every command or file each action would use, in order. Built from {@link Action#describe} only:
 * no Remote is opened.
 */
public record PlanPreview(String pipeline, List<HostPlan> hosts) {

    public record HostPlan(Target host, List<Step> steps) {}

    /**
     * @param lines the commands ({@code $ ...}) and files the action would touch
     */
    public record Step(String module, String task, String action, List<String> lines) {}

    public static PlanPreview of(Pipeline pipeline, Inventory inventory) {
        List<HostPlan> plans = new ArrayList<>();
        for (Target host : inventory.hosts()) {
            List<Step> steps = new ArrayList<>();
            for (Module module : pipeline.modules()) {
                for (Task task : module.tasks()) {
                    if (!task.hosts().test(host)) {
                        continue;
                    }
                    for (Action action : task.actions()) {
                        steps.add(new Step(module.name(), task.name(), action.name(), action.describe(host)));
                    }
                }
            }
            plans.add(new HostPlan(host, List.copyOf(steps)));
        }
        return new PlanPreview(pipeline.name(), List.copyOf(plans));
    }

    /** The plan as text, one block per host. */
    public String render() {
        StringBuilder sb = new StringBuilder();
        sb.append("plan: ").append(pipeline).append(" (").append(hosts.size()).append(" hosts)\n");
        for (HostPlan hp : hosts) {
            Target h = hp.host();
            sb.append('\n')
                    .append('[')
                    .append(h.name())
                    .append("] ")
                    .append(h.internalAddress())
                    .append(' ')
                    .append(h.arch())
                    .append(" roles=")
                    .append(h.roles().stream().map(Role::label).sorted().toList())
                    .append('\n');
            String lastTask = null;
            int n = 0;
            for (Step s : hp.steps()) {
                String task = s.module() + " / " + s.task();
                if (!task.equals(lastTask)) {
                    sb.append("  ").append(task).append('\n');
                    lastTask = task;
                }
                n++;
                sb.append("    ").append(n).append(". ").append(s.action()).append('\n');
                for (String line : s.lines()) {
                    for (String part : line.split("\n")) {
                        sb.append("         ").append(part).append('\n');
                    }
                }
            }
        }
        return sb.toString();
    }
}
