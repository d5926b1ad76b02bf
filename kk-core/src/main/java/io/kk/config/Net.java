package io.kk.config;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/** IP and CIDR parsing without any name lookup. */
final class Net {
    private static final Pattern IPV4 =
            Pattern.compile("((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");
    private static final Pattern DOTTED_NUMBERS = Pattern.compile("[0-9.]+");
    private static final Pattern HOSTNAME = Pattern.compile(
            "(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*");

    private Net() {}

    /** A parsed address: its bytes as a number and its bit length (32 or 128). */
    record Ip(BigInteger value, int bits) {}

    record Cidr(BigInteger network, int prefix, int bits) {
        BigInteger first() {
            return network;
        }

        BigInteger last() {
            return network.add(BigInteger.ONE.shiftLeft(bits - prefix)).subtract(BigInteger.ONE);
        }

        boolean overlaps(Cidr o) {
            return bits == o.bits
                    && first().compareTo(o.last()) <= 0
                    && o.first().compareTo(last()) <= 0;
        }

        boolean contains(Ip ip) {
            return bits == ip.bits()
                    && first().compareTo(ip.value()) <= 0
                    && ip.value().compareTo(last()) <= 0;
        }
    }

    static Ip ip(String s) {
        if (s == null) {
            return null;
        }
        s = s.strip();
        if (IPV4.matcher(s).matches()) {
            return new Ip(toNumber(s), 32);
        }
        if (s.contains(":") && s.matches("[0-9A-Fa-f:.]+")) {
            try {
                byte[] b = InetAddress.getByName(s).getAddress(); // a literal: no lookup
                return new Ip(new BigInteger(1, b), b.length * 8);
            } catch (UnknownHostException | IllegalArgumentException e) {
                return null;
            }
        }
        return null;
    }

    private static BigInteger toNumber(String ipv4) {
        long v = 0;
        for (String part : ipv4.split("\\.")) {
            v = (v << 8) | Integer.parseInt(part);
        }
        return BigInteger.valueOf(v);
    }

    /** A CIDR whose address is the network address (host bits zero), or null. */
    static Cidr cidr(String s) {
        if (s == null) {
            return null;
        }
        String[] parts = s.strip().split("/", -1);
        if (parts.length != 2 || !parts[1].matches("\\d{1,3}")) {
            return null;
        }
        Ip ip = ip(parts[0]);
        if (ip == null) {
            return null;
        }
        int prefix = Integer.parseInt(parts[1]);
        if (prefix > ip.bits()) {
            return null;
        }
        BigInteger hostMask = BigInteger.ONE.shiftLeft(ip.bits() - prefix).subtract(BigInteger.ONE);
        BigInteger network = ip.value().andNot(hostMask);
        return new Cidr(network, prefix, ip.bits());
    }

    /** True when the CIDR has host bits set (10.233.64.1/18): valid, but probably a typo. */
    static boolean hasHostBits(String s) {
        Cidr c = cidr(s);
        Ip ip = c == null ? null : ip(s.strip().split("/")[0]);
        return ip != null && !ip.value().equals(c.network());
    }

    static boolean looksLikeIPv4(String s) {
        return DOTTED_NUMBERS.matcher(s).matches();
    }

    static boolean isHostname(String s) {
        return HOSTNAME.matcher(s).matches() && !looksLikeIPv4(s);
    }
}
