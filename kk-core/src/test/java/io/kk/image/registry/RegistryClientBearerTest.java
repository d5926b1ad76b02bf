package io.kk.image.registry;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.kk.image.Descriptor;
import io.kk.image.Digests;
import io.kk.image.Manifests.Manifest;
import io.kk.image.MediaTypes;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bearer-token auth and redirects against an in-process fake (distribution's token server needs a
 * JWT signer; the protocol is what matters here): challenge parsing, scoped token requests with
 * Basic credentials to the realm, token reuse, and no Authorization sent to a redirect's other host.
 */
class RegistryClientBearerTest {
    private static final byte[] BLOB = "layer bytes".getBytes(StandardCharsets.UTF_8);
    private static final byte[] MANIFEST = ("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\"}")
            .getBytes(StandardCharsets.UTF_8);

    HttpServer registry;
    HttpServer storage;
    final AtomicInteger tokensIssued = new AtomicInteger();
    final List<String> tokenQueries = new CopyOnWriteArrayList<>();
    final List<String> realmAuth = new CopyOnWriteArrayList<>();
    final List<String> storageAuth = new CopyOnWriteArrayList<>();

    @TempDir
    Path tmp;

    @BeforeEach
    void start() throws IOException {
        InetSocketAddress any = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        storage = HttpServer.create(any, 0);
        storage.createContext("/blob", ex -> {
            storageAuth.add(String.valueOf(ex.getRequestHeaders().getFirst("Authorization")));
            reply(ex, 200, BLOB);
        });
        storage.start();
        registry = HttpServer.create(any, 0);
        String realm = "http://127.0.0.1:" + registry.getAddress().getPort() + "/token";
        registry.createContext("/token", ex -> {
            tokenQueries.add(ex.getRequestURI().getQuery());
            realmAuth.add(String.valueOf(ex.getRequestHeaders().getFirst("Authorization")));
            reply(
                    ex,
                    200,
                    ("{\"token\":\"tok-" + tokensIssued.incrementAndGet() + "\",\"expires_in\":300}")
                            .getBytes(StandardCharsets.UTF_8));
        });
        registry.createContext("/v2/", ex -> {
            String auth = ex.getRequestHeaders().getFirst("Authorization");
            if (auth == null || !auth.startsWith("Bearer tok-")) {
                ex.getResponseHeaders().add("WWW-Authenticate", "Bearer realm=\"" + realm + "\",service=\"fake\"");
                reply(ex, 401, new byte[0]);
                return;
            }
            String path = ex.getRequestURI().getPath();
            if (path.equals("/v2/lib/app/manifests/v1")) {
                ex.getResponseHeaders().add("Content-Type", MediaTypes.OCI_MANIFEST);
                ex.getResponseHeaders().add("Docker-Content-Digest", Digests.sha256(MANIFEST));
                reply(ex, 200, MANIFEST);
            } else if (path.startsWith("/v2/lib/app/blobs/")) {
                ex.getResponseHeaders()
                        .add(
                                "Location",
                                "http://127.0.0.1:" + storage.getAddress().getPort() + "/blob");
                reply(ex, 307, new byte[0]);
            } else {
                reply(ex, 200, "{}".getBytes(StandardCharsets.UTF_8));
            }
        });
        registry.start();
    }

    @AfterEach
    void stop() {
        registry.stop(0);
        storage.stop(0);
    }

    private static void reply(HttpExchange ex, int status, byte[] body) throws IOException {
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            ex.getResponseBody().write(body);
        }
        ex.close();
    }

    @Test
    void tokensAreScopedCachedAndNeverSentToAnotherHost() throws Exception {
        RegistryClient c = new RegistryClient(
                "127.0.0.1:" + registry.getAddress().getPort(), new RegistryAuth("bob", "pw-1", false, true, null));
        Manifest m = c.getManifest("lib/app", "v1");
        assertThat(m.digest()).isEqualTo(Digests.sha256(MANIFEST));
        assertThat(m.mediaType()).isEqualTo(MediaTypes.OCI_MANIFEST);
        Path part = tmp.resolve("blob.part");
        c.downloadBlob(
                "lib/app", Descriptor.of(MediaTypes.OCI_LAYER_GZIP, Digests.sha256(BLOB), BLOB.length), part, n -> {});
        assertThat(Files.readAllBytes(part)).isEqualTo(BLOB);
        c.getManifest("lib/app", "v1");

        assertThat(tokensIssued.get()).isEqualTo(1);
        assertThat(tokenQueries.get(0)).contains("service=fake").contains("scope=repository:lib/app:pull");
        String basic = "Basic " + Base64.getEncoder().encodeToString("bob:pw-1".getBytes(StandardCharsets.UTF_8));
        assertThat(realmAuth).containsExactly(basic);
        assertThat(storageAuth).containsExactly("null");
    }

    @Test
    void pushScopesGetTheirOwnToken() {
        RegistryClient c = new RegistryClient(
                "127.0.0.1:" + registry.getAddress().getPort(), new RegistryAuth(null, null, false, true, null));
        c.getManifest("lib/app", "v1");
        c.mountBlob("lib/app", Digests.sha256(BLOB), "lib/base");
        assertThat(tokensIssued.get()).isEqualTo(2);
        assertThat(tokenQueries.get(1))
                .contains("scope=repository:lib/app:pull,push")
                .contains("scope=repository:lib/base:pull");
        assertThat(realmAuth).containsOnly("null");
    }
}
