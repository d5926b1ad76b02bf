package io.kk.testkit.registry;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * An in-process token server for distribution's {@code auth: token} mode, as Docker Hub's or
 * Harbor's: {@code GET /token?service=..&scope=..} with optional Basic credentials answers a JWT
 * (RS256, the signing certificate in its {@code x5c} header; that certificate is the registry's
 * {@code rootcertbundle}) whose {@code access} claim holds, per requested scope, only the actions
 * the user was granted. Wrong credentials get 401; a scope the user lacks is left out of the token,
 * and the registry then refuses the request, as real token services do. Every token request is
 * recorded (user, requested scopes, granted access) for tests to inspect.
 */
public final class TokenServer implements AutoCloseable {
    public static final String SERVICE = "kk-test-registry";
    public static final String ISSUER = "kk-test-token-server";
    /** The user name of requests without credentials. */
    public static final String ANONYMOUS = "";

    /** One token request: who asked (ANONYMOUS without credentials), what for, what it got. */
    public record Issued(String user, List<String> requested, List<String> granted) {}

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final KeyPair keys;
    private final X509Certificate cert;
    private final Path certFile;
    private final Map<String, String> passwords = new ConcurrentHashMap<>();
    /** user -> repository ("*" for all) -> actions */
    private final Map<String, Map<String, Set<String>>> grants = new ConcurrentHashMap<>();

    private final List<Issued> issued = new CopyOnWriteArrayList<>();
    private final List<String> refused = new CopyOnWriteArrayList<>();

    private TokenServer(Path dir) throws IOException, GeneralSecurityException, OperatorCreationException {
        KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
        gen.initialize(2048);
        keys = gen.generateKeyPair();
        X500Name name = new X500Name("CN=" + ISSUER);
        Instant now = Instant.now();
        cert = new JcaX509CertificateConverter()
                .getCertificate(new JcaX509v3CertificateBuilder(
                                name,
                                BigInteger.valueOf(now.toEpochMilli()),
                                Date.from(now.minus(Duration.ofHours(1))),
                                Date.from(now.plus(Duration.ofDays(2))),
                                name,
                                keys.getPublic())
                        .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                        .build(new JcaContentSignerBuilder("SHA256withRSA").build(keys.getPrivate())));
        Files.createDirectories(dir);
        certFile = dir.resolve("token-signing.crt");
        StringWriter sw = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(sw)) {
            w.writeObject(cert);
        }
        Files.writeString(certFile, sw.toString());
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "token-server");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/token", this::handle);
        server.start();
    }

    /** Starts a token server on a free loopback port; its signing certificate is written to {@code dir}. */
    public static TokenServer start(Path dir) {
        try {
            return new TokenServer(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("cannot make the token signing key", e);
        }
    }

    /** Adds a user (no grants yet). */
    public TokenServer user(String name, String password) {
        passwords.put(name, password);
        return this;
    }

    /** Grants {@code actions} (pull, push, delete, *) on a repository ("*": every repository). */
    public TokenServer grant(String user, String repository, String... actions) {
        grants.computeIfAbsent(user, u -> new ConcurrentHashMap<>())
                .computeIfAbsent(repository, r -> ConcurrentHashMap.newKeySet())
                .addAll(List.of(actions));
        return this;
    }

    /** The realm the registry names in its challenges. */
    public String realm() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/token";
    }

    /** The PEM certificate whose key signs the tokens (the registry's rootcertbundle). */
    public Path rootCertBundle() {
        return certFile;
    }

    public List<Issued> issued() {
        return List.copyOf(issued);
    }

    /** The user names of refused logins (wrong or unknown credentials). */
    public List<String> refused() {
        return List.copyOf(refused);
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String user = ANONYMOUS;
            String header = ex.getRequestHeaders().getFirst("Authorization");
            if (header != null) {
                String[] up = basic(header);
                if (up == null || !up[1].equals(passwords.get(up[0]))) {
                    refused.add(up == null ? "?" : up[0]);
                    reply(ex, 401, "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"bad credentials\"}]}");
                    return;
                }
                user = up[0];
            }
            List<String> requested = new ArrayList<>();
            String service = null;
            String query = ex.getRequestURI().getRawQuery();
            for (String kv : query == null ? new String[0] : query.split("&")) {
                int eq = kv.indexOf('=');
                String k = URLDecoder.decode(eq < 0 ? kv : kv.substring(0, eq), StandardCharsets.UTF_8);
                String v = eq < 0 ? "" : URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8);
                if (k.equals("scope")) {
                    requested.addAll(List.of(v.split(" ")));
                } else if (k.equals("service")) {
                    service = v;
                }
            }
            if (!SERVICE.equals(service)) {
                reply(ex, 400, "{\"errors\":[{\"code\":\"UNSUPPORTED\",\"message\":\"unknown service\"}]}");
                return;
            }
            ArrayNode access = JSON.createArrayNode();
            List<String> granted = new ArrayList<>();
            for (String scope : requested) {
                int first = scope.indexOf(':');
                int last = scope.lastIndexOf(':');
                if (first < 0 || last <= first || !scope.startsWith("repository:")) {
                    continue;
                }
                String repo = scope.substring(first + 1, last);
                Set<String> allowed = allowed(user, repo);
                Set<String> actions = new LinkedHashSet<>();
                for (String a : scope.substring(last + 1).split(",")) {
                    if (allowed.contains(a) || allowed.contains("*")) {
                        actions.add(a);
                    }
                }
                if (!actions.isEmpty()) {
                    ObjectNode entry =
                            access.addObject().put("type", "repository").put("name", repo);
                    actions.forEach(entry.putArray("actions")::add);
                    granted.add("repository:" + repo + ":" + String.join(",", actions));
                }
            }
            issued.add(new Issued(user, List.copyOf(requested), List.copyOf(granted)));
            String token = jwt(user, access);
            ObjectNode body = JSON.createObjectNode()
                    .put("token", token)
                    .put("access_token", token)
                    .put("expires_in", 300)
                    .put("issued_at", Instant.now().toString());
            reply(ex, 200, JSON.writeValueAsString(body));
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot sign a token", e);
        }
    }

    private Set<String> allowed(String user, String repo) {
        Map<String, Set<String>> g = grants.getOrDefault(user, Map.of());
        Set<String> out = new LinkedHashSet<>(g.getOrDefault(repo, Set.of()));
        out.addAll(g.getOrDefault("*", Set.of()));
        return out;
    }

    private static String[] basic(String header) {
        if (!header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return null;
        }
        String up;
        try {
            up = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
        int colon = up.indexOf(':');
        return colon < 0 ? null : new String[] {up.substring(0, colon), up.substring(colon + 1)};
    }

    /** A JWT as distribution 2.8 verifies it: RS256, x5c chain to the rootcertbundle, iss/aud/exp/nbf. */
    private String jwt(String user, ArrayNode access) throws GeneralSecurityException, IOException {
        ObjectNode header = JSON.createObjectNode().put("typ", "JWT").put("alg", "RS256");
        header.putArray("x5c").add(Base64.getEncoder().encodeToString(cert.getEncoded()));
        long now = Instant.now().getEpochSecond();
        ObjectNode claims = JSON.createObjectNode()
                .put("iss", ISSUER)
                .put("sub", user)
                .put("aud", SERVICE)
                .put("exp", now + 300)
                .put("nbf", now - 30)
                .put("iat", now)
                .put("jti", UUID.randomUUID().toString());
        claims.set("access", access);
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String signingInput = b64.encodeToString(JSON.writeValueAsBytes(header)) + "."
                + b64.encodeToString(JSON.writeValueAsBytes(claims));
        Signature s = Signature.getInstance("SHA256withRSA");
        s.initSign(keys.getPrivate());
        s.update(signingInput.getBytes(StandardCharsets.US_ASCII));
        return signingInput + "." + b64.encodeToString(s.sign());
    }

    private static void reply(HttpExchange ex, int status, String json) throws IOException {
        byte[] b = json.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, b.length);
        ex.getResponseBody().write(b);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
