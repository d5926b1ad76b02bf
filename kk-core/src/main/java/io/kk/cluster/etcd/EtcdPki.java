package io.kk.cluster.etcd;

import io.kk.error.KkException;
import io.kk.pki.CertificateAuthority;
import io.kk.pki.CertificateRequest;
import io.kk.pki.KeyAndCertificate;
import io.kk.pki.Pem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The etcd certificates on the control machine, kept in the work dir ({@code pki/etcd/}, KubeKey's
 * file names) so reruns upload the same bytes and change nothing. The CA is, in order: the one the
 * cluster already runs with (read back from the first etcd host), the one in the work dir, a new
 * one. A leaf is reissued only when it is missing, signed by another CA, lacks a SAN or is close to
 * its end. Thread-safe: the plan's actions on several hosts ask for their files at once.
 */
public final class EtcdPki {
    static final Duration RENEW_BEFORE = Duration.ofDays(30);

    private final Path dir;
    private final List<EtcdCertificates.CertHost> hosts;
    private final String controlPlaneDomain;
    private final Clock clock;
    private CertificateAuthority ca;
    private Map<String, String> files;

    public EtcdPki(Path dir, List<EtcdCertificates.CertHost> hosts, String controlPlaneDomain, Clock clock) {
        this.dir = dir;
        this.hosts = List.copyOf(hosts);
        this.controlPlaneDomain = controlPlaneDomain;
        this.clock = clock;
    }

    public Path dir() {
        return dir;
    }

    /**
     * Makes the CA the cluster already trusts (read from a host) kk's CA, so certificates stay valid
     * for the running members. Must come before the first {@link #file}.
     */
    public synchronized void adoptCa(String certPem, String keyPem, String source) {
        X509Certificate cert = Pem.certificates(certPem, source).get(0);
        CertificateAuthority remote =
                CertificateAuthority.of(new KeyAndCertificate(Pem.privateKey(keyPem, source), cert), clock);
        CertificateAuthority local = readCa();
        // the key compared too: a crash between the two writes below leaves the new certificate
        // beside the old key, which the next run must still replace
        if (local == null
                || !local.certificate().equals(cert)
                || !java.util.Arrays.equals(
                        local.keyAndCertificate().key().getEncoded(),
                        remote.keyAndCertificate().key().getEncoded())) {
            write("ca.pem", certPem, false);
            write("ca-key.pem", keyPem, true);
        }
        ca = remote;
        files = null;
    }

    /** The content of one certificate file by its KubeKey name ({@code ca.pem}, {@code member-node1-key.pem}). */
    public synchronized String file(String name) {
        String content = all().get(name);
        if (content == null) {
            throw KkException.internal("no etcd certificate file " + name, null);
        }
        return content;
    }

    /** Every file by name, CA first; made (and written to the work dir) on first use. */
    public synchronized Map<String, String> all() {
        if (files != null) {
            return files;
        }
        if (ca == null) {
            ca = readCa();
            if (ca == null) {
                ca = CertificateAuthority.create("etcd-ca", CertificateAuthority.TEN_YEARS, clock);
                write("ca.pem", ca.keyAndCertificate().certificatePem(), false);
                write("ca-key.pem", ca.keyAndCertificate().keyPem(), true);
            }
        }
        Map<String, String> out = new LinkedHashMap<>();
        out.put("ca.pem", ca.keyAndCertificate().certificatePem());
        out.put("ca-key.pem", ca.keyAndCertificate().keyPem());
        CertificateRequest.Sans sans = EtcdCertificates.sans(hosts, controlPlaneDomain);
        Map<String, KeyAndCertificate> issued = null;
        for (EtcdCertificates.CertHost h : hosts) {
            for (String name : EtcdCertificates.filesFor(h)) {
                if (name.startsWith("ca") || name.endsWith("-key.pem")) {
                    continue;
                }
                String base = name.substring(0, name.length() - ".pem".length());
                String cert = read(name);
                String key = read(base + "-key.pem");
                // a pair that does not match: a run killed between the certificate's write and
                // its key's (a reissue) left the new certificate beside the old key
                if (cert == null || key == null || !stillGood(cert, sans) || !pair(cert, key, name)) {
                    if (issued == null) {
                        issued = EtcdCertificates.issue(ca, hosts, controlPlaneDomain);
                    }
                    KeyAndCertificate kc = issued.get(base);
                    cert = kc.certificatePem();
                    key = kc.keyPem();
                    write(name, cert, false);
                    write(base + "-key.pem", key, true);
                }
                out.put(name, cert);
                out.put(base + "-key.pem", key);
            }
        }
        files = Map.copyOf(out);
        return files;
    }

    /** Whether the key is the certificate's: a signature made with it verifies with the certificate. */
    private boolean pair(String certPem, String keyPem, String name) {
        try {
            X509Certificate c = Pem.certificates(certPem, "work dir").get(0);
            java.security.PrivateKey k =
                    Pem.privateKey(keyPem, dir.resolve(name).toString());
            String alg =
                    switch (k.getAlgorithm()) {
                        case "EC", "ECDSA" -> "SHA256withECDSA";
                        case "RSA" -> "SHA256withRSA";
                        default -> k.getAlgorithm();
                    };
            byte[] probe = name.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            java.security.Signature sign = java.security.Signature.getInstance(alg);
            sign.initSign(k);
            sign.update(probe);
            byte[] sig = sign.sign();
            java.security.Signature verify = java.security.Signature.getInstance(alg);
            verify.initVerify(c.getPublicKey());
            verify.update(probe);
            return verify.verify(sig);
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    private boolean stillGood(String certPem, CertificateRequest.Sans sans) {
        try {
            X509Certificate c = Pem.certificates(certPem, "work dir").get(0);
            PublicKey caKey = ca.certificate().getPublicKey();
            c.verify(caKey);
            if (c.getNotAfter().toInstant().isBefore(clock.instant().plus(RENEW_BEFORE))) {
                return false;
            }
            Set<String> have = new HashSet<>();
            Collection<List<?>> alt = c.getSubjectAlternativeNames();
            if (alt != null) {
                for (List<?> e : alt) {
                    have.add(String.valueOf(e.get(1)));
                }
            }
            Set<String> want = new HashSet<>(sans.dnsNames());
            for (String ip : sans.ipAddresses()) {
                // Java prints IPv6 SANs in full form: compare through InetAddress
                want.add(ip.contains(":") ? java.net.InetAddress.getByName(ip).getHostAddress() : ip);
            }
            Set<String> haveNormal = new HashSet<>();
            for (String s : have) {
                haveNormal.add(
                        s.contains(":") ? java.net.InetAddress.getByName(s).getHostAddress() : s);
            }
            return haveNormal.containsAll(want);
        } catch (CertificateParsingException e) {
            return false;
        } catch (java.security.GeneralSecurityException | IOException | RuntimeException e) {
            return false;
        }
    }

    private CertificateAuthority readCa() {
        String cert = read("ca.pem");
        String key = read("ca-key.pem");
        if (cert == null || key == null) {
            return null;
        }
        Path source = dir.resolve("ca.pem");
        return CertificateAuthority.of(
                new KeyAndCertificate(
                        Pem.privateKey(key, dir.resolve("ca-key.pem").toString()),
                        Pem.certificates(cert, source.toString()).get(0)),
                clock);
    }

    private String read(String name) {
        Path p = dir.resolve(name);
        try {
            return Files.isRegularFile(p) ? Files.readString(p) : null;
        } catch (IOException e) {
            throw KkException.environment("cannot read " + p + ": " + e.getMessage(), "check the work dir", e);
        }
    }

    private void write(String name, String content, boolean secret) {
        Path p = dir.resolve(name);
        try {
            Files.createDirectories(dir);
            if (secret) {
                io.kk.util.AtomicFiles.writePrivate(p, content);
            } else {
                io.kk.util.AtomicFiles.writeString(p, content);
            }
        } catch (IOException e) {
            throw KkException.environment("cannot write " + p + ": " + e.getMessage(), "check the work dir", e);
        }
    }
}
