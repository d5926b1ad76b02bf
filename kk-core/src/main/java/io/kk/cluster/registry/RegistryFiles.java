package io.kk.cluster.registry;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Objects;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

/**
 * The private registry's files as KubeKey installs them: the Docker distribution config at {@code
 * /etc/kubekey/registry/config.yaml}, its systemd unit, and TLS material under {@code
 * /etc/ssl/registry/ssl/}. kk adds htpasswd auth when {@code registry.auths} names the registry.
 */
public final class RegistryFiles {
    public static final String BINARY_PATH = "/usr/local/bin/registry";
    public static final String CONFIG_PATH = "/etc/kubekey/registry/config.yaml";
    public static final String UNIT_PATH = "/etc/systemd/system/registry.service";
    public static final String CERT_DIR = "/etc/ssl/registry/ssl";
    public static final String HTPASSWD_PATH = "/etc/kubekey/registry/htpasswd";
    public static final String DEFAULT_DATA_DIR = "/mnt/registry";
    /** The name KubeKey gives the registry when privateRegistry is not set. */
    public static final String DEFAULT_REGISTRY_NAME = "dockerhub.kubekey.local";

    private static final SecureRandom RANDOM = new SecureRandom();

    private RegistryFiles() {}

    /**
     * @param dataDir storage root ({@code registry.registryDataDir}, default /mnt/registry)
     * @param port HTTPS port (KubeKey: 443)
     * @param certName base name of the server certificate files (the registry's name)
     * @param htpasswd true to require basic auth from {@link #HTPASSWD_PATH}
     */
    public record Settings(String dataDir, int port, String certName, boolean htpasswd) {
        public Settings {
            dataDir = dataDir == null || dataDir.isBlank() ? DEFAULT_DATA_DIR : dataDir;
            Objects.requireNonNull(certName, "certName");
        }

        public String certFile() {
            return CERT_DIR + "/" + certName + ".pem";
        }

        public String keyFile() {
            return CERT_DIR + "/" + certName + "-key.pem";
        }
    }

    public static String config(Settings s) {
        StringBuilder b = new StringBuilder();
        b.append(
                """
                version: 0.1
                log:
                  fields:
                    service: registry
                storage:
                  cache:
                    layerinfo: inmemory
                  filesystem:
                """);
        b.append("    rootdirectory: ").append(s.dataDir()).append('\n');
        b.append("  delete:\n    enabled: true\n");
        if (s.htpasswd()) {
            b.append("auth:\n  htpasswd:\n    realm: kk-registry\n");
            b.append("    path: ").append(HTPASSWD_PATH).append('\n');
        }
        b.append("http:\n");
        b.append("  addr: :").append(s.port()).append('\n');
        b.append("  tls:\n");
        b.append("    certificate: ").append(s.certFile()).append('\n');
        b.append("    key: ").append(s.keyFile()).append('\n');
        return b.toString();
    }

    public static String unit() {
        return """
                [Unit]
                Description=v2 Registry server for Container
                After=network.target
                [Service]
                Type=simple
                ExecStart=/usr/local/bin/registry serve /etc/kubekey/registry/config.yaml
                Restart=on-failure
                [Install]
                WantedBy=multi-user.target
                """;
    }

    /** One htpasswd line with a bcrypt hash (the only scheme distribution accepts). */
    public static String htpasswdLine(String user, String password) {
        byte[] salt = new byte[16];
        RANDOM.nextBytes(salt);
        String hash = OpenBSDBCrypt.generate("2y", password.getBytes(StandardCharsets.UTF_8), salt, 10);
        return user + ":" + hash + "\n";
    }

    /** True when {@code line} (user:hash) is this user with this password: lets a rerun keep the file. */
    public static boolean htpasswdMatches(String line, String user, String password) {
        String l = line.strip();
        int colon = l.indexOf(':');
        if (colon < 0 || !l.substring(0, colon).equals(user)) {
            return false;
        }
        try {
            return OpenBSDBCrypt.checkPassword(l.substring(colon + 1), password.getBytes(StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
