package io.kk.plan;

import java.util.ArrayList;
import java.util.List;

/** What a command does, as one readable ordered list of modules. */
public record Pipeline(String name, List<Module> modules) {
    public Pipeline {
        modules = List.copyOf(modules);
    }

    public static Pipeline of(String name, Module... modules) {
        return new Pipeline(name, List.of(modules));
    }

    /** A pipeline made of this one's modules followed by another's (variants compose, not copy). */
    public Pipeline then(Pipeline next) {
        List<Module> all = new ArrayList<>(modules);
        all.addAll(next.modules());
        return new Pipeline(name, all);
    }

    public int taskCount() {
        return modules.stream().mapToInt(m -> m.tasks().size()).sum();
    }
}
