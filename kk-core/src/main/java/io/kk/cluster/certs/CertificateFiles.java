package io.kk.cluster.certs;

import io.kk.cluster.etcd.EtcdCertificates;
import io.kk.error.KkException;
import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.openssl.PEMParser;

/**
 * Which certificate files kk and kubeadm keep on a host, the script that reads them, and the
 * parsing of what it prints. The script sends certificate blocks only (the {@code BEGIN
 * CERTIFICATE} lines of each file, and a kubeconfig's {@code client-certificate-data}): private
 * keys never leave the host.
 */
public final class CertificateFiles {
    static final String FILE_MARK = "@@kk-cert ";

    /**
     * kubelet's client certificate (a link to the current {@code kubelet-client-DATE.pem}, which
     * holds the key too: the script sends its certificate block only). kubelet rotates it itself
     * (kubeadm's {@code rotateCertificates: true}); kk shows it, never renews it.
     */
    static final String KUBELET_CLIENT = "/var/lib/kubelet/pki/kubelet-client-current.pem";

    /** Certificate files, by glob; {@code *-key.pem} is skipped. */
    static final List<String> GLOBS = List.of(
            EtcdCertificates.REMOTE_DIR + "/*.pem",
            "/etc/kubernetes/pki/*.crt",
            "/etc/kubernetes/pki/etcd/*.crt",
            "/etc/ssl/registry/ssl/*.pem",
            "/etc/kubekey/harbor/ssl/*.crt",
            CertificateFiles.KUBELET_CLIENT);

    /** kubeconfigs kubeadm writes with the client certificate embedded. */
    static final List<String> KUBECONFIGS = List.of(
            "/etc/kubernetes/admin.conf",
            "/etc/kubernetes/super-admin.conf",
            "/etc/kubernetes/controller-manager.conf",
            "/etc/kubernetes/scheduler.conf",
            "/etc/kubernetes/kubelet.conf");

    private CertificateFiles() {}

    /** Prints every certificate file as a mark line and its certificate blocks; absent files print nothing. */
    public static String readScript() {
        String certs = "sed -n '/-----BEGIN CERTIFICATE-----/,/-----END CERTIFICATE-----/p'";
        return "for f in " + String.join(" ", GLOBS) + "; do case \"$f\" in *-key.pem|*key.crt) continue;; esac;"
                + " [ -f \"$f\" ] || continue; echo \"" + FILE_MARK + "$f\"; " + certs + " \"$f\"; done;"
                + " for f in " + String.join(" ", KUBECONFIGS) + "; do [ -f \"$f\" ] || continue;"
                + " d=$(grep -E '^[[:space:]]*client-certificate-data:' \"$f\" | head -n 1 | awk '{print $2}');"
                + " [ -n \"$d\" ] || continue; echo \"" + FILE_MARK + "$f\"; echo \"$d\" | base64 -d; echo; done";
    }

    /** The certificates in the script's output of one host: the first certificate of each file. */
    public static List<CertificateInfo> parse(String host, String output) {
        List<CertificateInfo> out = new ArrayList<>();
        String path = null;
        StringBuilder pem = new StringBuilder();
        for (String line : (output + "\n" + FILE_MARK + "\n").lines().toList()) {
            if (line.startsWith(FILE_MARK)) {
                if (path != null && !pem.toString().isBlank()) {
                    out.add(info(host, path, pem.toString()));
                }
                path = line.substring(FILE_MARK.length()).strip();
                pem.setLength(0);
            } else if (path != null) {
                pem.append(line).append('\n');
            }
        }
        return out;
    }

    /** Parses the first certificate of a PEM text with BouncyCastle. */
    static CertificateInfo info(String host, String path, String pem) {
        try (PEMParser p = new PEMParser(new StringReader(pem))) {
            Object o = p.readObject();
            if (!(o instanceof X509CertificateHolder c)) {
                throw KkException.failed(
                        host + ": " + path + " holds no PEM certificate", "check the file on the host");
            }
            Extension bc = c.getExtension(Extension.basicConstraints);
            boolean isCa = bc != null
                    && BasicConstraints.getInstance(bc.getParsedValue()).isCA();
            return new CertificateInfo(
                    host,
                    path,
                    group(path),
                    subject(c.getSubject()),
                    subject(c.getIssuer()),
                    c.getSerialNumber().toString(16),
                    c.getNotAfter().toInstant(),
                    isCa);
        } catch (IOException | RuntimeException e) {
            if (e instanceof KkException k) {
                throw k;
            }
            throw KkException.failed(
                    host + ": " + path + " is not a readable certificate: " + e.getMessage(),
                    "check the file on the host");
        }
    }

    /** CN, with O in front when present (kubeadm's client certificates carry their group in O). */
    static String subject(X500Name name) {
        List<String> parts = new ArrayList<>();
        for (RDN rdn : name.getRDNs(BCStyle.O)) {
            parts.add("O=" + IETFUtils.valueToString(rdn.getFirst().getValue()));
        }
        for (RDN rdn : name.getRDNs(BCStyle.CN)) {
            parts.add("CN=" + IETFUtils.valueToString(rdn.getFirst().getValue()));
        }
        return parts.isEmpty() ? name.toString() : String.join(",", parts);
    }

    static String group(String path) {
        if (path.startsWith(EtcdCertificates.REMOTE_DIR + "/") || path.startsWith("/etc/kubernetes/pki/etcd/")) {
            return "etcd";
        }
        if (path.startsWith("/etc/kubernetes/pki/")) {
            return "kubernetes";
        }
        if (path.startsWith("/etc/kubernetes/")) {
            return "kubeconfig";
        }
        if (path.startsWith("/var/lib/kubelet/")) {
            return "kubelet";
        }
        return "registry";
    }
}
