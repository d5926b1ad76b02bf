package io.kk.plan;

import io.kk.event.Event;
import java.time.Duration;
import java.util.List;

/** The events a plan run emits, in this order: started, per task (started, results), finished. */
public sealed interface PlanEvent extends Event {

    record PlanStarted(String pipeline, List<String> hosts, int tasks) implements PlanEvent {}

    /**
     * @param hosts the hosts the task runs on (already-failed hosts excluded)
     */
    record TaskStarted(String module, String task, List<String> hosts, boolean serial) implements PlanEvent {}

    record ActionDone(
            String host, String module, String task, String action, Outcome outcome, String detail, Duration took)
            implements PlanEvent {}

    /** Output of a command the user wants to see (a custom script), one event per action. */
    record ActionOutput(String host, String task, String action, String text) implements PlanEvent {}

    record HostFailed(String host, String module, String task, String action, String message, String hint)
            implements PlanEvent {}

    record PlanFinished(PlanReport report) implements PlanEvent {}
}
