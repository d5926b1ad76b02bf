package io.kk.plan;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The hosts of a plan, in config order (which is also the order of output and of serial tasks). */
public record Inventory(List<Target> hosts) {
    public Inventory {
        hosts = List.copyOf(hosts);
        Set<String> seen = new HashSet<>();
        for (Target t : hosts) {
            if (!seen.add(t.name())) {
                throw new IllegalArgumentException("host listed twice: " + t.name());
            }
        }
    }

    public static Inventory of(Target... hosts) {
        return new Inventory(List.of(hosts));
    }

    public List<Target> select(HostSelector selector) {
        return hosts.stream().filter(selector).toList();
    }

    public Optional<Target> find(String name) {
        return hosts.stream().filter(t -> t.name().equals(name)).findFirst();
    }
}
