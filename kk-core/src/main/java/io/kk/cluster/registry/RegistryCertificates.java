package io.kk.cluster.registry;

import io.kk.error.KkException;
import io.kk.pki.CertificateAuthority;
import io.kk.pki.CertificateRequest;
import io.kk.pki.KeyAndCertificate;
import io.kk.pki.Pem;
import io.kk.util.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The registry's CA and server certificate, kept in the work dir ({@code pki/registry/}) so a
 * rerun installs the same files (nothing changes, nothing restarts). The server certificate is
 * issued again only when its names differ from what is wanted or it is within 30 days of expiry.
 */
public final class RegistryCertificates {
    public static final String DIR = "pki/registry";
    static final String CA_CERT = "ca.pem";
    static final String CA_KEY = "ca-key.pem";

    private RegistryCertificates() {}

    /** PEM texts: the CA certificate, the server certificate and its key. */
    public record Material(Path caFile, String caPem, String certPem, String keyPem) {
        @Override
        public String toString() {
            return "Material[ca=" + caFile + "]";
        }
    }

    /**
     * Loads or makes the CA and the server certificate for {@code registryName}.
     *
     * @param workDir kk's work dir; files go to {@code workDir/pki/registry}
     */
    public static Material ensure(
            Path workDir, String registryName, List<String> dnsNames, List<String> ips, Clock clock) {
        Path dir = workDir.resolve(DIR);
        try {
            Files.createDirectories(dir);
            CertificateAuthority ca = loadOrCreateCa(dir, clock);
            Path cert = dir.resolve(registryName + ".pem");
            Path key = dir.resolve(registryName + "-key.pem");
            if (!Files.isRegularFile(cert)
                    || !Files.isRegularFile(key)
                    || !fits(Files.readString(cert), ca, dnsNames, ips, clock)) {
                KeyAndCertificate leaf = ca.issue(new CertificateRequest(
                        registryName, "kubekey", dnsNames, ips, true, false, CertificateAuthority.TEN_YEARS));
                // the key first: a crash between the two leaves a key without its certificate,
                // which the next run re-issues (both files are replaced whole, never half-written)
                AtomicFiles.writePrivate(key, leaf.keyPem());
                AtomicFiles.writeString(cert, leaf.certificatePem());
            }
            Path caFile = dir.resolve(CA_CERT);
            return new Material(caFile, Files.readString(caFile), Files.readString(cert), Files.readString(key));
        } catch (IOException e) {
            throw KkException.environment(
                    "cannot keep the registry certificates in " + dir + ": " + io.kk.error.Causes.describe(e),
                    "check that the work dir is writable");
        }
    }

    private static CertificateAuthority loadOrCreateCa(Path dir, Clock clock) throws IOException {
        Path cert = dir.resolve(CA_CERT);
        Path key = dir.resolve(CA_KEY);
        if (Files.isRegularFile(cert) && Files.isRegularFile(key)) {
            X509Certificate c =
                    Pem.certificates(Files.readString(cert), cert.toString()).get(0);
            return CertificateAuthority.of(
                    new KeyAndCertificate(Pem.privateKey(Files.readString(key), key.toString()), c), clock);
        }
        CertificateAuthority ca = CertificateAuthority.create("kk-registry-ca", CertificateAuthority.TEN_YEARS, clock);
        AtomicFiles.writePrivate(key, ca.keyAndCertificate().keyPem());
        AtomicFiles.writeString(cert, ca.keyAndCertificate().certificatePem());
        return ca;
    }

    private static boolean fits(
            String certPem, CertificateAuthority ca, List<String> dns, List<String> ips, Clock clock) {
        X509Certificate c = Pem.certificates(certPem, "registry certificate").get(0);
        if (!c.getIssuerX500Principal().equals(ca.certificate().getSubjectX500Principal())) {
            return false;
        }
        try {
            c.verify(ca.certificate().getPublicKey());
        } catch (java.security.GeneralSecurityException e) {
            return false;
        }
        if (c.getNotAfter().toInstant().isBefore(clock.instant().plus(java.time.Duration.ofDays(30)))) {
            return false;
        }
        Set<String> want = new HashSet<>();
        dns.forEach(d -> want.add("2:" + d));
        ips.forEach(i -> want.add("7:" + i));
        Set<String> have = new HashSet<>();
        try {
            if (c.getSubjectAlternativeNames() != null) {
                for (List<?> san : c.getSubjectAlternativeNames()) {
                    have.add(san.get(0) + ":" + san.get(1));
                }
            }
        } catch (CertificateParsingException e) {
            return false;
        }
        return have.equals(want);
    }

    /** The names a registry certificate carries: the registry name, the host's name, its addresses. */
    public static List<String> dnsNames(String registryName, String hostName) {
        List<String> out = new ArrayList<>();
        out.add(registryName);
        if (!hostName.equals(registryName)) {
            out.add(hostName);
        }
        return out;
    }
}
