package io.kk.cluster.certs;

import java.time.Duration;
import java.time.Instant;

/**
 * One certificate found on a host, as {@code kk certs check-expiration} shows it.
 *
 * @param host the host name from the config
 * @param path the file on the host (a kubeconfig for client certificates embedded in one)
 * @param group who manages it: {@code etcd}, {@code kubernetes}, {@code kubeconfig}, {@code kubelet},
 *     {@code registry}
 * @param subject the subject (CN, and O when present), e.g. {@code CN=etcd-admin-node1}
 * @param issuer the issuing CA's subject
 * @param serial the serial number in hex
 * @param notAfter when it expires
 * @param ca true for a CA certificate (basicConstraints CA:TRUE)
 */
public record CertificateInfo(
        String host,
        String path,
        String group,
        String subject,
        String issuer,
        String serial,
        Instant notAfter,
        boolean ca) {

    /** The file name, as kubeadm's table names certificates. */
    public String name() {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    /** Whole days left at {@code now} (negative once expired). */
    public long daysLeft(Instant now) {
        return Math.floorDiv(Duration.between(now, notAfter).getSeconds(), 86400);
    }

    /**
     * The time left as kubeadm's RESIDUAL TIME prints it (its short human duration): seconds below a
     * minute, minutes below an hour, hours below two days, days below two years, then years; {@code
     * <invalid>} once expired.
     */
    public String residual(Instant now) {
        long s = Duration.between(now, notAfter).getSeconds();
        if (s < 0) {
            return "<invalid>";
        }
        if (s < 60) {
            return s + "s";
        }
        long m = s / 60;
        if (m < 60) {
            return m + "m";
        }
        long h = m / 60;
        if (h < 48) {
            return h + "h";
        }
        long d = h / 24;
        if (d < 365 * 2) {
            return d + "d";
        }
        return d / 365 + "y";
    }
}
