package io.kk.cluster.certs;

import io.kk.error.KkException;
import io.kk.pki.CertificateAuthority;
import io.kk.pki.CertificateRequest;
import io.kk.pki.KeyAndCertificate;
import io.kk.pki.Pem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;

/**
 * Re-issues the leaf certificates kk keeps in a work-dir CA directory ({@code pki/etcd}, {@code
 * pki/registry}): each {@code NAME.pem} with its {@code NAME-key.pem}, signed again by the CA in
 * the same directory ({@code ca.pem} + {@code ca-key.pem}, kept as it is), with a new key, the same
 * subject, the same subject alternative names and the same usages, valid ten years from now.
 */
public final class WorkDirRenewal {
    private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
    private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";

    private WorkDirRenewal() {}

    /** One re-issued certificate: its file name, the serials before and after, the new end. */
    public record Renewed(String file, String oldSerial, String newSerial, Instant notAfter) {}

    /** The leaf files of a CA directory: {@code *.pem} but the CA and the keys, sorted. */
    public static List<String> leaves(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".pem") && !n.endsWith("-key.pem") && !n.equals("ca.pem"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw KkException.environment("cannot list " + dir + ": " + e.getMessage(), "check the work dir");
        }
    }

    /**
     * Re-issues every leaf of {@code dir}; nothing when the directory or its CA is missing (kk did
     * not make that part of the cluster from this work dir).
     */
    public static List<Renewed> renew(Path dir, Clock clock) {
        return renew(dir, clock, RenewThreshold.all(clock.instant()));
    }

    /**
     * Re-issues the leaves of {@code dir} that {@code threshold} says are due; the others are kept
     * as they are (and so are not pushed or restarted for).
     */
    public static List<Renewed> renew(Path dir, Clock clock, RenewThreshold threshold) {
        Path caCert = dir.resolve("ca.pem");
        Path caKey = dir.resolve("ca-key.pem");
        List<String> leaves = leaves(dir);
        if (leaves.isEmpty()) {
            return List.of();
        }
        if (!Files.isRegularFile(caCert) || !Files.isRegularFile(caKey)) {
            throw KkException.environment(
                    dir + " holds certificates but not the CA that signed them (ca.pem, ca-key.pem)",
                    "run kk from the work dir create cluster used (--dir), which keeps kk's CAs");
        }
        CertificateAuthority ca = CertificateAuthority.of(
                new KeyAndCertificate(
                        Pem.privateKey(read(caKey), caKey.toString()),
                        Pem.certificates(read(caCert), caCert.toString()).get(0)),
                clock);
        List<Renewed> out = new ArrayList<>();
        for (String leaf : leaves) {
            Path cert = dir.resolve(leaf);
            X509Certificate old = Pem.certificates(read(cert), cert.toString()).get(0);
            if (!threshold.due(old.getNotAfter().toInstant())) {
                continue;
            }
            KeyAndCertificate fresh = ca.issue(sameAs(old));
            String base = leaf.substring(0, leaf.length() - ".pem".length());
            write(dir.resolve(base + "-key.pem"), fresh.keyPem(), true);
            write(cert, fresh.certificatePem(), false);
            out.add(new Renewed(
                    leaf,
                    old.getSerialNumber().toString(16),
                    fresh.certificate().getSerialNumber().toString(16),
                    fresh.certificate().getNotAfter().toInstant()));
        }
        return out;
    }

    /** A request for a certificate like {@code old}: subject CN and O, SANs, server/client usage. */
    static CertificateRequest sameAs(X509Certificate old) {
        X500Name subject = X500Name.getInstance(old.getSubjectX500Principal().getEncoded());
        String cn = first(subject, true);
        String o = first(subject, false);
        List<String> dns = new ArrayList<>();
        List<String> ips = new ArrayList<>();
        try {
            if (old.getSubjectAlternativeNames() != null) {
                for (List<?> san : old.getSubjectAlternativeNames()) {
                    int type = (Integer) san.get(0);
                    if (type == 2) {
                        dns.add(String.valueOf(san.get(1)));
                    } else if (type == 7) {
                        ips.add(String.valueOf(san.get(1)));
                    }
                }
            }
            List<String> usage = old.getExtendedKeyUsage();
            boolean server = usage == null || usage.contains(SERVER_AUTH);
            boolean client = usage == null || usage.contains(CLIENT_AUTH);
            return new CertificateRequest(cn, o, dns, ips, server, client, CertificateAuthority.TEN_YEARS);
        } catch (CertificateParsingException e) {
            throw KkException.failed(
                    "cannot read the names of " + cn + ": " + e.getMessage(), "check the certificate in the work dir");
        }
    }

    private static String first(X500Name name, boolean cn) {
        RDN[] rdns = name.getRDNs(cn ? BCStyle.CN : BCStyle.O);
        return rdns.length == 0
                ? ""
                : IETFUtils.valueToString(rdns[0].getFirst().getValue());
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw KkException.environment("cannot read " + p + ": " + e.getMessage(), "check the work dir");
        }
    }

    private static void write(Path p, String content, boolean secret) {
        try {
            if (secret) {
                io.kk.util.AtomicFiles.writePrivate(p, content);
            } else {
                io.kk.util.AtomicFiles.writeString(p, content);
            }
        } catch (IOException e) {
            throw KkException.environment("cannot write " + p + ": " + e.getMessage(), "check the work dir");
        }
    }
}
