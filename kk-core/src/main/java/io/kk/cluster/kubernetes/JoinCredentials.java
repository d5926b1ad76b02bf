package io.kk.cluster.kubernetes;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What a node needs to join: a bootstrap token from {@code kubeadm token create}, the certificate
 * key from {@code kubeadm init phase upload-certs --upload-certs} (control planes only), and the
 * cluster CA's public-key hashes when kk knows them. Without hashes the join skips CA
 * verification, as KubeKey does. Secret: never logged ({@link #toString} redacts).
 *
 * @param token {@code [a-z0-9]{6}.[a-z0-9]{16}}
 * @param certificateKey 64 hex characters, or "" for worker joins
 * @param caCertHashes {@code sha256:<hex>} each; empty means {@code unsafeSkipCAVerification}
 */
public record JoinCredentials(String token, String certificateKey, List<String> caCertHashes) {
    private static final Pattern TOKEN = Pattern.compile("[a-z0-9]{6}\\.[a-z0-9]{16}");
    private static final Pattern CERT_KEY = Pattern.compile("[a-f0-9]{64}");
    private static final Pattern HASH = Pattern.compile("sha256:[a-f0-9]{64}");

    public JoinCredentials {
        Objects.requireNonNull(token, "token");
        if (!TOKEN.matcher(token).matches()) {
            throw new IllegalArgumentException("not a bootstrap token ([a-z0-9]{6}.[a-z0-9]{16})");
        }
        certificateKey = certificateKey == null ? "" : certificateKey;
        if (!certificateKey.isEmpty() && !CERT_KEY.matcher(certificateKey).matches()) {
            throw new IllegalArgumentException("not a certificate key (64 hex characters)");
        }
        caCertHashes = List.copyOf(caCertHashes);
        for (String h : caCertHashes) {
            if (!HASH.matcher(h).matches()) {
                throw new IllegalArgumentException("not a CA public key hash (sha256:<64 hex>): " + h);
            }
        }
    }

    @Override
    public String toString() {
        return "JoinCredentials[token=<redacted>, certificateKey=" + (certificateKey.isEmpty() ? "" : "<redacted>")
                + ", caCertHashes=" + caCertHashes + "]";
    }
}
