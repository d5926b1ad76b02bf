package io.kk.plan;

import java.util.Locale;

/** The roles of KubeKey's {@code roleGroups}; {@code k8s} is derived (control plane or worker). */
public enum Role {
    ETCD("etcd"),
    CONTROL_PLANE("control-plane"),
    WORKER("worker"),
    REGISTRY("registry");

    private final String label;

    Role(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** Parses a role name as the config spells it ({@code master} is a synonym of control-plane). */
    public static Role parse(String name) {
        String n = name.strip().toLowerCase(Locale.ROOT);
        return switch (n) {
            case "etcd" -> ETCD;
            case "master", "control-plane", "controlplane" -> CONTROL_PLANE;
            case "worker" -> WORKER;
            case "registry" -> REGISTRY;
            default -> throw new IllegalArgumentException("unknown role: " + name);
        };
    }

    @Override
    public String toString() {
        return label;
    }
}
