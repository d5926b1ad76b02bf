package io.kk.config;

/**
 * KubeSphere, from the optional second document (ClusterConfiguration or ConfigMap).
 *
 * @param configurations that document's text, kept as written
 */
public record KubeSphereConfig(boolean enabled, String version, String configurations) {
    public static final KubeSphereConfig NONE = new KubeSphereConfig(false, "", "");

    /** The document may hold secrets (jwtSecret, passwords): show only its size. */
    @Override
    public String toString() {
        return "KubeSphereConfig[enabled=" + enabled + ", version=" + version + ", configurations=<"
                + configurations.length() + " chars>]";
    }
}
