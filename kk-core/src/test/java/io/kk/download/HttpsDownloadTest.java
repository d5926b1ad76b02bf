package io.kk.download;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.kk.error.ErrorKind;
import io.kk.error.KkException;
import io.kk.event.EventSink;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Date;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HTTPS against a server whose certificate only a private CA vouches for. */
class HttpsDownloadTest {
    private static final byte[] BODY = "over tls".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;

    private HttpsServer server;
    private Path caPem;

    @BeforeEach
    void start() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(256);
        KeyPair key = generator.generateKeyPair();
        X500Name name = new X500Name("CN=kk test mirror");
        Instant now = Instant.now();
        JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                name,
                BigInteger.valueOf(now.toEpochMilli()),
                Date.from(now.minus(1, ChronoUnit.DAYS)),
                Date.from(now.plus(1, ChronoUnit.DAYS)),
                name,
                key.getPublic());
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
        builder.addExtension(
                Extension.subjectAlternativeName,
                false,
                new GeneralNames(new GeneralName(GeneralName.iPAddress, "127.0.0.1")));
        X509Certificate cert = new JcaX509CertificateConverter()
                .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(key.getPrivate())));

        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("server", key.getPrivate(), new char[0], new X509Certificate[] {cert});
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(store, new char[0]);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(kmf.getKeyManagers(), null, null);

        server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(tls));
        server.createContext("/f", exchange -> {
            TestHttpServer.send(exchange, 200, BODY);
            exchange.close();
        });
        server.start();

        caPem = dir.resolve("ca.pem");
        Files.writeString(
                caPem,
                "-----BEGIN CERTIFICATE-----\n"
                        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                                .encodeToString(cert.getEncoded())
                        + "\n-----END CERTIFICATE-----\n");
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private URI url() {
        return URI.create("https://127.0.0.1:" + server.getAddress().getPort() + "/f");
    }

    @Test
    void aPrivateCaGivenAsPemIsTrusted() throws Exception {
        HttpDownloader downloader =
                HttpDownloader.builder().trustPemCertificates(caPem).build();

        FetchResult result = downloader.fetch(url(), dir.resolve("f"), HttpDownloaderTest.sha256(BODY), EventSink.NONE);

        assertThat(Files.readAllBytes(result.target())).isEqualTo(BODY);
    }

    @Test
    void anUntrustedCertificateFailsAtOnceAsAnEnvironmentProblem() {
        HttpDownloader downloader = HttpDownloader.builder().sleeper(d -> {}).build();

        assertThatThrownBy(() ->
                        downloader.fetch(url(), dir.resolve("f"), HttpDownloaderTest.sha256(BODY), EventSink.NONE))
                .isInstanceOf(KkException.class)
                .hasMessageStartingWith("TLS handshake with " + url() + " failed: ")
                .extracting(e -> ((KkException) e).kind())
                .isEqualTo(ErrorKind.ENVIRONMENT);
        assertThat(dir.resolve("f")).doesNotExist();
    }
}
