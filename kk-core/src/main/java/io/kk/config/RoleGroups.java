package io.kk.config;

import io.kk.plan.Role;
import java.util.List;

/** Host names per role, ranges ({@code node[1:3]}) expanded, {@code master} merged into control-plane. */
public record RoleGroups(List<String> etcd, List<String> controlPlane, List<String> worker, List<String> registry) {
    public RoleGroups {
        etcd = List.copyOf(etcd);
        controlPlane = List.copyOf(controlPlane);
        worker = List.copyOf(worker);
        registry = List.copyOf(registry);
    }

    public List<String> names(Role role) {
        return switch (role) {
            case ETCD -> etcd;
            case CONTROL_PLANE -> controlPlane;
            case WORKER -> worker;
            case REGISTRY -> registry;
        };
    }
}
