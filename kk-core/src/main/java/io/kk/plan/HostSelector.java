package io.kk.plan;

import java.util.Arrays;
import java.util.Set;
import java.util.function.Predicate;

/** Picks the hosts a task runs on: by role, by name, or any predicate; composable. */
@FunctionalInterface
public interface HostSelector extends Predicate<Target> {

    static HostSelector all() {
        return t -> true;
    }

    static HostSelector role(Role role) {
        return t -> t.has(role);
    }

    /** Hosts with any of the roles. */
    static HostSelector anyRole(Role... roles) {
        return t -> Arrays.stream(roles).anyMatch(t::has);
    }

    static HostSelector k8s() {
        return Target::isK8s;
    }

    static HostSelector named(String... names) {
        Set<String> set = Set.of(names);
        return t -> set.contains(t.name());
    }

    /**
     * A role as KubeKey's config spells it, including the hidden {@code k8s} role and {@code all}
     * (empty means all).
     */
    static HostSelector byRoleName(String name) {
        if (name == null || name.isBlank() || name.strip().equalsIgnoreCase("all")) {
            return all();
        }
        if (name.strip().equalsIgnoreCase("k8s")) {
            return k8s();
        }
        return role(Role.parse(name));
    }

    static HostSelector where(Predicate<Target> p) {
        return p::test;
    }

    default HostSelector and(HostSelector other) {
        return t -> test(t) && other.test(t);
    }

    default HostSelector butNot(HostSelector other) {
        return t -> test(t) && !other.test(t);
    }
}
