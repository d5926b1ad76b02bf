package io.kk.cluster.node;

import io.kk.plan.Action;
import io.kk.plan.Inventory;
import io.kk.plan.Module;
import io.kk.plan.Pipeline;
import io.kk.plan.Target;
import io.kk.plan.Task;
import java.util.ArrayList;
import java.util.List;

/**
 * The dry-run view of a node-by-node pipeline in the order it runs (not grouped per host, as
 * {@link io.kk.plan.PlanPreview} is): each task with the host it runs on, each action with its
 * commands. Built from {@link Action#describe} only; no host is contacted.
 */
public record PlanOrder(String pipeline, List<Step> steps) {

    /** One action on one host, in run order. */
    public record Step(int number, String module, String task, String host, String action, List<String> lines) {}

    public static PlanOrder of(Pipeline pipeline, Inventory inventory) {
        List<Step> steps = new ArrayList<>();
        for (Module m : pipeline.modules()) {
            for (Task t : m.tasks()) {
                for (Target h : inventory.select(t.hosts())) {
                    for (Action a : t.actions()) {
                        steps.add(new Step(steps.size() + 1, m.name(), t.name(), h.name(), a.name(), describe(a, h)));
                    }
                }
            }
        }
        return new PlanOrder(pipeline.name(), List.copyOf(steps));
    }

    /**
     * The action's lines; an action whose content depends on a fact learnt on the host earlier in
     * the run (e.g. containerd's snapshotter) says so instead.
     */
    private static List<String> describe(Action a, Target h) {
        try {
            return a.describe(h);
        } catch (io.kk.error.KkException e) {
            return List.of("# decided on the host at run time: " + e.getMessage());
        }
    }

    public String render() {
        StringBuilder sb = new StringBuilder("plan: ").append(pipeline).append(", in order\n");
        String lastModule = null;
        for (Step s : steps) {
            if (!s.module().equals(lastModule)) {
                sb.append('\n').append(s.module()).append('\n');
                lastModule = s.module();
            }
            sb.append("  ")
                    .append(s.number())
                    .append(". [")
                    .append(s.host())
                    .append("] ")
                    .append(s.task())
                    .append(" / ")
                    .append(s.action())
                    .append('\n');
            for (String line : s.lines()) {
                for (String part : line.split("\n")) {
                    sb.append("       ").append(part).append('\n');
                }
            }
        }
        return sb.toString();
    }
}
