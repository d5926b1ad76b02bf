package io.kk.cluster.certs;

import java.time.Duration;
import java.time.Instant;

/**
 * Which certificates {@code kk certs renew} renews: those with fewer than {@code days} days left
 * at {@code now} (KubeKey's auto-renew rule, 30 days by default), or every one with {@code force}
 * (what KubeKey's {@code kk certs renew} does, and kk's without {@code --threshold-days}).
 */
public record RenewThreshold(int days, boolean force, Instant now) {
    public static final int DEFAULT_DAYS = CertsRenewFiles.THRESHOLD_DAYS;

    public RenewThreshold {
        if (days < 0) {
            throw new IllegalArgumentException("the threshold is a number of days, 0 or more: " + days);
        }
    }

    /** Every certificate, whatever its end date. */
    public static RenewThreshold all(Instant now) {
        return new RenewThreshold(DEFAULT_DAYS, true, now);
    }

    public boolean due(Instant notAfter) {
        return force || notAfter.isBefore(now.plus(Duration.ofDays(days)));
    }

    /** How the rule reads in notes and plans. */
    public String describe() {
        return force ? "every certificate" : "certificates with fewer than " + days + " days left";
    }
}
