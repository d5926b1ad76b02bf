package io.kk.config;

/** The roles of roleGroups. KubeKey's legacy {@code master} is read as {@link #CONTROL_PLANE}. */
public enum Role {
    ETCD("etcd"),
    CONTROL_PLANE("control-plane"),
    WORKER("worker"),
    REGISTRY("registry");

    private final String yamlName;

    Role(String yamlName) {
        this.yamlName = yamlName;
    }

    /** The key in roleGroups. */
    public String yamlName() {
        return yamlName;
    }
}
