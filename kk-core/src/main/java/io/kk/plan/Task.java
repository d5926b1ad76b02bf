package io.kk.plan;

import java.util.List;
import java.util.Objects;

/**
 * A named list of actions run on every host the selector picks. Hosts run in parallel (bounded by
 * the run's {@code --parallel}) unless the task is serial, then one by one in inventory order.
 */
public record Task(String name, HostSelector hosts, List<Action> actions, boolean serial) {
    public Task {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(hosts, "hosts");
        actions = List.copyOf(actions);
    }

    public static Task parallel(String name, HostSelector hosts, Action... actions) {
        return new Task(name, hosts, List.of(actions), false);
    }

    public static Task parallel(String name, HostSelector hosts, List<Action> actions) {
        return new Task(name, hosts, actions, false);
    }

    public static Task serial(String name, HostSelector hosts, Action... actions) {
        return new Task(name, hosts, List.of(actions), true);
    }
}
