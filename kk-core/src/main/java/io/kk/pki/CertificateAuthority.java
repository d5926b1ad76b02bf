package io.kk.pki;

import io.kk.error.KkException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A certificate authority kk runs itself (etcd, the private registry): makes its own self-signed
 * certificate and signs leaf certificates. RSA-2048 and SHA-256, as KubeKey's etcd certificates.
 */
public final class CertificateAuthority {
    /** KubeKey's etcd and registry certificates live ten years. */
    public static final Duration TEN_YEARS = Duration.ofDays(3650);

    private static final SecureRandom RANDOM = new SecureRandom();

    private final KeyAndCertificate ca;
    private final Clock clock;

    private CertificateAuthority(KeyAndCertificate ca, Clock clock) {
        this.ca = ca;
        this.clock = clock;
    }

    /** A new CA with subject CN={@code commonName}. */
    public static CertificateAuthority create(String commonName, Duration validity, Clock clock) {
        try {
            KeyPair kp = newKeyPair();
            X500Name subject = name(commonName, "");
            Instant now = clock.instant();
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(
                    subject,
                    serial(),
                    Date.from(now.minus(Duration.ofMinutes(5))),
                    Date.from(now.plus(validity)),
                    subject,
                    kp.getPublic());
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            b.addExtension(
                    Extension.keyUsage,
                    true,
                    new KeyUsage(KeyUsage.keyCertSign
                            | KeyUsage.cRLSign
                            | KeyUsage.digitalSignature
                            | KeyUsage.keyEncipherment));
            b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(kp.getPublic()));
            X509Certificate cert = sign(b, kp);
            return new CertificateAuthority(new KeyAndCertificate(kp.getPrivate(), cert), clock);
        } catch (GeneralSecurityException | OperatorCreationException | java.io.IOException e) {
            throw KkException.internal("cannot create CA " + commonName, e);
        }
    }

    /** An existing CA (its certificate and key, e.g. read back from a host), to sign more leaves. */
    public static CertificateAuthority of(KeyAndCertificate ca, Clock clock) {
        if (ca.certificate().getBasicConstraints() < 0) {
            throw KkException.invalidInput(
                    "certificate " + ca.certificate().getSubjectX500Principal().getName() + " is not a CA",
                    "give the CA certificate (basicConstraints CA:TRUE)");
        }
        return new CertificateAuthority(ca, clock);
    }

    public KeyAndCertificate keyAndCertificate() {
        return ca;
    }

    public X509Certificate certificate() {
        return ca.certificate();
    }

    /** Issues a leaf certificate signed by this CA. */
    public KeyAndCertificate issue(CertificateRequest req) {
        try {
            KeyPair kp = newKeyPair();
            Instant now = clock.instant();
            X500Name issuer = X500Name.getInstance(
                    ca.certificate().getSubjectX500Principal().getEncoded());
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(
                    issuer,
                    serial(),
                    Date.from(now.minus(Duration.ofMinutes(5))),
                    Date.from(now.plus(req.validity())),
                    name(req.commonName(), req.organization()),
                    kp.getPublic());
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            b.addExtension(
                    Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
            List<KeyPurposeId> purposes = new ArrayList<>();
            if (req.server()) {
                purposes.add(KeyPurposeId.id_kp_serverAuth);
            }
            if (req.client()) {
                purposes.add(KeyPurposeId.id_kp_clientAuth);
            }
            b.addExtension(
                    Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purposes.toArray(KeyPurposeId[]::new)));
            b.addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(ca.certificate()));
            b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(kp.getPublic()));
            GeneralNames sans = subjectAltNames(req);
            if (sans.getNames().length > 0) {
                b.addExtension(Extension.subjectAlternativeName, false, sans);
            }
            JcaContentSignerBuilder signer = new JcaContentSignerBuilder("SHA256withRSA");
            X509Certificate cert = new JcaX509CertificateConverter().getCertificate(b.build(signer.build(ca.key())));
            return new KeyAndCertificate(kp.getPrivate(), cert);
        } catch (GeneralSecurityException | OperatorCreationException | java.io.IOException e) {
            throw KkException.internal("cannot issue certificate " + req.commonName(), e);
        }
    }

    private static GeneralNames subjectAltNames(CertificateRequest req) {
        Set<GeneralName> names = new LinkedHashSet<>();
        for (String dns : req.dnsNames()) {
            names.add(new GeneralName(GeneralName.dNSName, dns));
        }
        for (String ip : req.ipAddresses()) {
            if (!ip.matches("[0-9a-fA-F:.]+")) {
                throw KkException.invalidInput("'" + ip + "' is not an IP address", "give an IPv4 or IPv6 literal");
            }
            try {
                // a literal never triggers a DNS lookup
                names.add(new GeneralName(
                        GeneralName.iPAddress, InetAddress.getByName(ip).getHostAddress()));
            } catch (UnknownHostException e) {
                throw KkException.invalidInput("'" + ip + "' is not an IP address", "give an IPv4 or IPv6 literal");
            }
        }
        return new GeneralNames(names.toArray(GeneralName[]::new));
    }

    private static X509Certificate sign(X509v3CertificateBuilder b, KeyPair kp)
            throws OperatorCreationException, GeneralSecurityException {
        return new JcaX509CertificateConverter()
                .getCertificate(b.build(new JcaContentSignerBuilder("SHA256withRSA").build(kp.getPrivate())));
    }

    private static X500Name name(String cn, String org) {
        X500NameBuilder nb = new X500NameBuilder(BCStyle.INSTANCE);
        if (!org.isEmpty()) {
            nb.addRDN(BCStyle.O, org);
        }
        nb.addRDN(BCStyle.CN, cn);
        return nb.build();
    }

    private static KeyPair newKeyPair() throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048, RANDOM);
        return g.generateKeyPair();
    }

    private static BigInteger serial() {
        return new BigInteger(127, RANDOM).add(BigInteger.ONE);
    }
}
