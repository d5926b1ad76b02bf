package io.kk.image.registry;

import io.kk.error.KkException;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/** TLS settings for one registry: system trust, a CA file, or no verification at all. */
final class TlsContexts {
    private TlsContexts() {}

    static SSLContext forAuth(String host, RegistryAuth auth) {
        try {
            if (auth.skipTlsVerify()) {
                SSLContext ctx = SSLContext.getInstance("TLS");
                ctx.init(null, new TrustManager[] {new TrustAll()}, new SecureRandom());
                return ctx;
            }
            if (auth.caFile() != null) {
                return withCa(host, auth.caFile());
            }
            return SSLContext.getDefault();
        } catch (GeneralSecurityException e) {
            throw KkException.environment(
                    "cannot set up TLS for " + host + ": " + e.getMessage(), "check the JDK's security settings", e);
        }
    }

    /** The JDK's default context (system trust), for https reached from a plain-HTTP registry's redirect. */
    static SSLContext systemDefault() {
        try {
            return SSLContext.getDefault();
        } catch (GeneralSecurityException e) {
            throw KkException.environment(
                    "cannot set up TLS: " + e.getMessage(), "check the JDK's security settings", e);
        }
    }

    /**
     * The JDK's default context, made on first use. The HttpClient wants a context when it is built,
     * and the default one reads and parses every CA certificate of the JDK (a fifth of a short push's
     * CPU); a plain-HTTP registry's client reaches https only on a redirect, if ever. Give the
     * client {@link #engineDefaults()} as its parameters too: it would otherwise ask this context for
     * its defaults at once.
     */
    static SSLContext lazySystemDefault() {
        return new LazySystemDefault();
    }

    /**
     * Parameters that leave protocols and cipher suites to the engine's defaults (those of the
     * default context), for a client built on {@link #lazySystemDefault()}.
     */
    static SSLParameters engineDefaults() {
        return new SSLParameters();
    }

    private static final class LazySystemDefault extends SSLContext {
        LazySystemDefault() {
            super(new LazySpi(), null, "Default");
        }
    }

    private static final class LazySpi extends SSLContextSpi {
        private volatile SSLContext context;

        private SSLContext context() {
            SSLContext c = context;
            if (c == null) {
                c = systemDefault();
                context = c;
            }
            return c;
        }

        @Override
        protected void engineInit(KeyManager[] km, TrustManager[] tm, SecureRandom random) {
            throw new UnsupportedOperationException("the default context is initialised by the JDK");
        }

        @Override
        protected SSLSocketFactory engineGetSocketFactory() {
            return context().getSocketFactory();
        }

        @Override
        protected SSLServerSocketFactory engineGetServerSocketFactory() {
            return context().getServerSocketFactory();
        }

        @Override
        protected SSLEngine engineCreateSSLEngine() {
            return context().createSSLEngine();
        }

        @Override
        protected SSLEngine engineCreateSSLEngine(String host, int port) {
            return context().createSSLEngine(host, port);
        }

        @Override
        protected SSLSessionContext engineGetServerSessionContext() {
            return context().getServerSessionContext();
        }

        @Override
        protected SSLSessionContext engineGetClientSessionContext() {
            return context().getClientSessionContext();
        }

        @Override
        protected SSLParameters engineGetDefaultSSLParameters() {
            return context().getDefaultSSLParameters();
        }

        @Override
        protected SSLParameters engineGetSupportedSSLParameters() {
            return context().getSupportedSSLParameters();
        }
    }

    private static SSLContext withCa(String host, Path caFile) throws GeneralSecurityException {
        KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
        try {
            ks.load(null, null);
        } catch (IOException e) {
            throw new GeneralSecurityException(e);
        }
        int i = 0;
        try (InputStream in = Files.newInputStream(caFile)) {
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                ks.setCertificateEntry("ca" + i++, c);
            }
        } catch (IOException e) {
            throw KkException.invalidInput(
                    "cannot read the CA file " + caFile + " for registry " + host + ": " + e.getMessage(),
                    "give a readable PEM file with the registry's CA certificate");
        }
        if (i == 0) {
            throw KkException.invalidInput(
                    "the CA file " + caFile + " for registry " + host + " holds no certificate",
                    "give a PEM file with the registry's CA certificate");
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), new SecureRandom());
        return ctx;
    }

    /**
     * Accepts any certificate for any host name: an extended trust manager is where the JDK checks
     * the host name, so accepting here skips both checks (what {@code skipTLSVerify} means).
     */
    private static final class TrustAll extends X509ExtendedTrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {}

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
