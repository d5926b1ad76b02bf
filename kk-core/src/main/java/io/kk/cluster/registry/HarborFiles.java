package io.kk.cluster.registry;

/**
 * Harbor's install config as KubeKey writes it for {@code registry.type: harbor}: hostname = the
 * registry name, HTTPS on 443 with kk's certificate, data under the registry data dir, the admin
 * password from {@code registry.auths} (KubeKey's default Harbor12345 otherwise).
 */
public final class HarborFiles {
    public static final String CONFIG_PATH = "/opt/harbor/harbor.yml";
    public static final String CERT_PATH = "/opt/harbor/ssl/harbor.pem";
    public static final String KEY_PATH = "/opt/harbor/ssl/harbor-key.pem";
    public static final String DEFAULT_ADMIN_PASSWORD = "Harbor12345";

    private HarborFiles() {}

    /** The file holds the admin password: upload it 0600 and never log it. */
    public static String config(String hostname, String adminPassword, String dataDir) {
        String password = adminPassword == null || adminPassword.isEmpty() ? DEFAULT_ADMIN_PASSWORD : adminPassword;
        return """
                hostname: %s
                http:
                  port: 80
                https:
                  port: 443
                  certificate: %s
                  private_key: %s
                harbor_admin_password: %s
                database:
                  password: root123
                  max_idle_conns: 100
                  max_open_conns: 900
                data_volume: %s
                trivy:
                  ignore_unfixed: false
                  skip_update: false
                  insecure: false
                jobservice:
                  max_job_workers: 10
                notification:
                  webhook_job_max_retry: 10
                chart:
                  absolute_url: disabled
                log:
                  level: info
                  local:
                    rotate_count: 50
                    rotate_size: 200M
                    location: /var/log/harbor
                _version: 2.5.0
                proxy:
                  http_proxy:
                  https_proxy:
                  no_proxy:
                  components:
                    - core
                    - jobservice
                    - trivy
                """
                .formatted(
                        hostname,
                        CERT_PATH,
                        KEY_PATH,
                        yamlQuote(password),
                        dataDir == null || dataDir.isEmpty() ? "/mnt/registry" : dataDir);
    }

    private static String yamlQuote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
