package io.kk.plan;

import java.util.List;

/** A named group of tasks, e.g. {@code precheck} or {@code configure os}. */
public record Module(String name, List<Task> tasks) {
    public Module {
        tasks = List.copyOf(tasks);
    }

    public static Module of(String name, Task... tasks) {
        return new Module(name, List.of(tasks));
    }
}
