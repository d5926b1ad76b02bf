package io.kk.cluster.node;

import io.kk.plan.Action;
import io.kk.plan.ActionResult;
import io.kk.plan.Actions;
import io.kk.plan.HostContext;
import io.kk.plan.HostValues;
import io.kk.plan.Target;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Why a step about one node does not apply, decided at run time from facts learnt earlier in the
 * same run (typed {@link HostValues}): e.g. the node has no kubelet, or it already runs the target
 * version. A guarded step is reported as skipped with that reason.
 *
 * @param when what the guard checks, for the dry-run view
 * @param reason the reason to skip the node, or empty to run the step
 */
public record NodeGuard(String when, Function<Target, Optional<String>> reason) {

    /** Never skips. */
    public static NodeGuard none() {
        return new NodeGuard("", t -> Optional.empty());
    }

    /** Skips nodes the facts say have no kubelet (not Kubernetes nodes). */
    public static NodeGuard needsKubelet(HostValues<Boolean> kubelet) {
        return new NodeGuard(
                "skipped when the node has no kubelet",
                t -> kubelet.get(t)
                        ? Optional.empty()
                        : Optional.of(t.name() + " has no kubelet (not a Kubernetes node): skipped"));
    }

    /** Either guard skips. */
    public NodeGuard or(NodeGuard other) {
        String w = when.isEmpty() ? other.when : other.when.isEmpty() ? when : when + "; " + other.when;
        return new NodeGuard(w, t -> reason.apply(t).or(() -> other.reason.apply(t)));
    }

    /**
     * The action run about {@code node} (on whichever host the task picks), skipped when the guard
     * says so for {@code node}.
     */
    public Action guard(Target node, Action action) {
        return guarded(action, h -> node);
    }

    /** The action run on the host itself, skipped when the guard says so for that host. */
    public Action guardSelf(Action action) {
        return guarded(action, HostContext::target);
    }

    private Action guarded(Action action, Function<HostContext, Target> about) {
        return Actions.of(
                action.name(),
                t -> {
                    List<String> lines = new ArrayList<>(action.describe(t));
                    if (!when.isEmpty()) {
                        lines.add("# " + when);
                    }
                    return lines;
                },
                h -> {
                    Optional<String> why = reason.apply(about.apply(h));
                    return why.isPresent() ? ActionResult.skipped(why.get()) : action.apply(h);
                });
    }
}
