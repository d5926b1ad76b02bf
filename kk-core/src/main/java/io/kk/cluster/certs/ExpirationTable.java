package io.kk.cluster.certs;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * {@code kk certs check-expiration}'s table, in kubeadm's words (EXPIRES, RESIDUAL TIME,
 * CERTIFICATE AUTHORITY) with the host, the subject and the days left added: the leaves first,
 * then the CAs, each by host and path.
 */
public final class ExpirationTable {
    /** kubeadm's date format, e.g. {@code Nov 24, 2027 18:00 UTC}. */
    static final DateTimeFormatter EXPIRES = DateTimeFormatter.ofPattern("MMM dd, yyyy HH:mm 'UTC'", Locale.ENGLISH)
            .withZone(ZoneOffset.UTC);

    private ExpirationTable() {}

    /** One row as JSON shows it. */
    public record Row(
            String host,
            String certificate,
            String path,
            String group,
            String subject,
            String certificateAuthority,
            String serial,
            String expires,
            long daysLeft,
            String residualTime,
            boolean ca) {}

    public static List<Row> rows(List<CertificateInfo> certs, Instant now) {
        return certs.stream()
                .sorted(Comparator.comparing(CertificateInfo::ca)
                        .thenComparing(CertificateInfo::host)
                        .thenComparing(CertificateInfo::path))
                .map(c -> new Row(
                        c.host(),
                        c.name(),
                        c.path(),
                        c.group(),
                        c.subject(),
                        c.issuer(),
                        c.serial(),
                        c.notAfter().toString(),
                        c.daysLeft(now),
                        c.residual(now),
                        c.ca()))
                .toList();
    }

    public static String render(List<CertificateInfo> certs, Instant now) {
        List<String[]> leaves = new ArrayList<>();
        List<String[]> cas = new ArrayList<>();
        for (Row r : rows(certs, now)) {
            String expires = EXPIRES.format(Instant.parse(r.expires()));
            String days = Long.toString(r.daysLeft());
            if (r.ca()) {
                cas.add(new String[] {r.host(), r.path(), r.subject(), expires, r.residualTime(), days});
            } else {
                leaves.add(new String[] {
                    r.host(), r.path(), r.subject(), expires, r.residualTime(), days, r.certificateAuthority()
                });
            }
        }
        StringBuilder sb = new StringBuilder();
        if (leaves.isEmpty() && cas.isEmpty()) {
            return "no certificates found on the hosts\n";
        }
        if (!leaves.isEmpty()) {
            sb.append(table(
                    new String[] {
                        "HOST",
                        "CERTIFICATE",
                        "SUBJECT",
                        "EXPIRES",
                        "RESIDUAL TIME",
                        "DAYS LEFT",
                        "CERTIFICATE AUTHORITY"
                    },
                    leaves));
        }
        if (!cas.isEmpty()) {
            if (!sb.isEmpty()) {
                sb.append('\n');
            }
            sb.append(table(
                    new String[] {"HOST", "CERTIFICATE AUTHORITY", "SUBJECT", "EXPIRES", "RESIDUAL TIME", "DAYS LEFT"},
                    cas));
        }
        return sb.toString();
    }

    static String table(String[] header, List<String[]> rows) {
        int[] width = new int[header.length];
        for (int i = 0; i < header.length; i++) {
            width[i] = header[i].length();
            for (String[] r : rows) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        List<String[]> all = new ArrayList<>();
        all.add(header);
        all.addAll(rows);
        for (String[] r : all) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < r.length; i++) {
                line.append(i == r.length - 1 ? r[i] : String.format("%-" + (width[i] + 3) + "s", r[i]));
            }
            sb.append(line.toString().stripTrailing()).append('\n');
        }
        return sb.toString();
    }
}
