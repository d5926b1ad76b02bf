package io.kk.pki;

import io.kk.error.KkException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaMiscPEMGenerator;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.util.io.pem.PemWriter;

/** PEM reading and writing for certificates and keys (RSA keys as PKCS#1, like KubeKey and kubeadm). */
public final class Pem {
    private Pem() {}

    public static String certificate(X509Certificate cert) {
        return write(cert);
    }

    public static String privateKey(PrivateKey key) {
        return write(key);
    }

    private static String write(Object o) {
        StringWriter out = new StringWriter();
        try (PemWriter w = new PemWriter(out)) {
            w.writeObject(new JcaMiscPEMGenerator(o));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** Every certificate in a PEM text (a bundle gives several); {@code source} names it in errors. */
    public static List<X509Certificate> certificates(String pem, String source) {
        try {
            CertificateFactory cf = CertificateFactory.getInstance("X.509");
            List<X509Certificate> out = new ArrayList<>();
            for (var c : cf.generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))) {
                out.add((X509Certificate) c);
            }
            if (out.isEmpty()) {
                throw KkException.invalidInput(
                        source + " holds no PEM certificate", "give a file with -----BEGIN CERTIFICATE-----");
            }
            return out;
        } catch (CertificateException e) {
            throw KkException.invalidInput(
                    source + " is not a valid PEM certificate: " + io.kk.error.Causes.describe(e), "check the file");
        }
    }

    /** The private key in a PEM text (PKCS#1 or PKCS#8, unencrypted). */
    public static PrivateKey privateKey(String pem, String source) {
        try (PEMParser p = new PEMParser(new StringReader(pem))) {
            Object o = p.readObject();
            JcaPEMKeyConverter conv = new JcaPEMKeyConverter();
            if (o instanceof PEMKeyPair kp) {
                return conv.getKeyPair(kp).getPrivate();
            }
            if (o instanceof PrivateKeyInfo info) {
                return conv.getPrivateKey(info);
            }
            throw KkException.invalidInput(source + " holds no unencrypted private key", "give a PEM private key file");
        } catch (IOException e) {
            throw KkException.invalidInput(
                    source + " is not a valid PEM key: " + io.kk.error.Causes.describe(e), "check the file");
        }
    }
}
