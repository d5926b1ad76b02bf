package io.kk.cluster.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.kk.pki.CertificateAuthority;
import io.kk.pki.CertificateRequest;
import io.kk.pki.KeyAndCertificate;
import java.io.ByteArrayInputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegistryFilesTest {

    @Test
    void configIsKubeKeysWithOptionalHtpasswd() {
        RegistryFiles.Settings s = new RegistryFiles.Settings("", 443, "dockerhub.kubekey.local", true);
        assertThat(RegistryFiles.config(s))
                .contains("rootdirectory: /mnt/registry\n")
                .contains("addr: :443\n")
                .contains("certificate: /etc/ssl/registry/ssl/dockerhub.kubekey.local.pem\n")
                .contains("key: /etc/ssl/registry/ssl/dockerhub.kubekey.local-key.pem\n")
                .contains("path: /etc/kubekey/registry/htpasswd\n");
        assertThat(RegistryFiles.config(new RegistryFiles.Settings("/data/reg", 443, "r", false)))
                .doesNotContain("htpasswd")
                .contains("rootdirectory: /data/reg\n");
    }

    @Test
    void htpasswdLinesVerify() {
        String line = RegistryFiles.htpasswdLine("admin", "Harbor12345");
        assertThat(line).startsWith("admin:$2y$10$").doesNotContain("Harbor12345");
        assertThat(RegistryFiles.htpasswdMatches(line, "admin", "Harbor12345")).isTrue();
        assertThat(RegistryFiles.htpasswdMatches(line, "admin", "wrong")).isFalse();
        assertThat(RegistryFiles.htpasswdMatches(line, "other", "Harbor12345")).isFalse();
    }

    /** Debian's docker-registry (Docker distribution 2.8) runs from the generated files. */
    @Test
    void realRegistryServesTlsWithHtpasswdFromTheGeneratedConfig(@TempDir Path dir) throws Exception {
        CertificateAuthority ca = CertificateAuthority.create("registry-ca", Duration.ofDays(1), Clock.systemUTC());
        KeyAndCertificate server = ca.issue(new CertificateRequest(
                "dockerhub.kubekey.local",
                "",
                List.of("dockerhub.kubekey.local", "localhost"),
                List.of("127.0.0.1"),
                true,
                false,
                Duration.ofDays(1)));
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String config = RegistryFiles.config(
                        new RegistryFiles.Settings(dir.resolve("data").toString(), port, "reg", true))
                .replace(RegistryFiles.CERT_DIR, dir.toString())
                .replace(RegistryFiles.HTPASSWD_PATH, dir.resolve("htpasswd").toString())
                .replace("addr: :" + port, "addr: 127.0.0.1:" + port);
        Files.writeString(dir.resolve("config.yaml"), config);
        Files.writeString(dir.resolve("reg.pem"), server.certificatePem());
        Files.writeString(dir.resolve("reg-key.pem"), server.keyPem());
        Files.writeString(dir.resolve("htpasswd"), RegistryFiles.htpasswdLine("admin", "s3cret"));

        Process registry = new ProcessBuilder(
                        "docker-registry", "serve", dir.resolve("config.yaml").toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("registry.log").toFile())
                .start();
        try {
            HttpClient client = HttpClient.newBuilder().sslContext(trusting(ca)).build();
            URI v2 = URI.create("https://127.0.0.1:" + port + "/v2/");
            HttpResponse<String> anonymous =
                    retry(client, HttpRequest.newBuilder(v2).build());
            assertThat(anonymous.statusCode()).isEqualTo(401);
            String basic = Base64.getEncoder().encodeToString("admin:s3cret".getBytes(StandardCharsets.UTF_8));
            HttpResponse<String> authed = client.send(
                    HttpRequest.newBuilder(v2)
                            .header("Authorization", "Basic " + basic)
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(authed.statusCode()).isEqualTo(200);
        } finally {
            registry.destroy();
            registry.waitFor();
        }
    }

    private static HttpResponse<String> retry(HttpClient client, HttpRequest req) throws Exception {
        Exception last = null;
        for (int i = 0; i < 100; i++) {
            try {
                return client.send(req, HttpResponse.BodyHandlers.ofString());
            } catch (java.io.IOException e) {
                last = e;
                Thread.sleep(100);
            }
        }
        throw last;
    }

    private static SSLContext trusting(CertificateAuthority ca) throws Exception {
        KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
        ks.load(null, null);
        ks.setCertificateEntry(
                "ca",
                CertificateFactory.getInstance("X.509")
                        .generateCertificate(new ByteArrayInputStream(
                                ca.keyAndCertificate().certificatePem().getBytes(StandardCharsets.US_ASCII))));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }
}
