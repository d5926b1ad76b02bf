package io.kk.pki;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;

/** A certificate with its private key, as kk writes them to hosts (PEM). */
public record KeyAndCertificate(PrivateKey key, X509Certificate certificate) {
    public String certificatePem() {
        return Pem.certificate(certificate);
    }

    public String keyPem() {
        return Pem.privateKey(key);
    }

    @Override
    public String toString() {
        return "KeyAndCertificate[" + certificate.getSubjectX500Principal().getName() + ", key=<redacted>]";
    }
}
