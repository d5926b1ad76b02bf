package io.kk.config;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/** What the all-in-one config needs to know about this machine. */
public interface LocalMachine {
    String hostname();

    /** The IPv4 address of the default route's interface, or 127.0.0.1. */
    String address();

    /** amd64 or arm64. */
    String arch();

    /** This machine, read from the OS (no network traffic). */
    static LocalMachine detect() {
        return new LocalMachine() {
            @Override
            public String hostname() {
                try {
                    String h = Files.readString(Path.of("/etc/hostname")).strip();
                    if (!h.isEmpty()) {
                        return h.toLowerCase(Locale.ROOT);
                    }
                } catch (IOException e) {
                    // fall through to the resolver's idea of our name
                }
                try {
                    return InetAddress.getLocalHost().getHostName().toLowerCase(Locale.ROOT);
                } catch (UnknownHostException e) {
                    return "localhost";
                }
            }

            @Override
            public String address() {
                return defaultRouteAddress(Path.of("/proc/net/route"));
            }

            @Override
            public String arch() {
                String a = System.getProperty("os.arch", "amd64");
                return a.equals("aarch64") || a.equals("arm64") ? "arm64" : "amd64";
            }
        };
    }

    /** Reads the default route's interface from a /proc/net/route table and returns its IPv4. */
    static String defaultRouteAddress(Path routeTable) {
        try {
            List<String> lines = Files.readAllLines(routeTable);
            for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
                String[] f = line.trim().split("\\s+");
                if (f.length > 2 && f[1].equals("00000000")) {
                    NetworkInterface nic = NetworkInterface.getByName(f[0]);
                    if (nic == null) {
                        continue;
                    }
                    for (InetAddress a : Collections.list(nic.getInetAddresses())) {
                        if (a instanceof Inet4Address) {
                            return a.getHostAddress();
                        }
                    }
                }
            }
        } catch (IOException e) {
            // no routing table: fall back to loopback
        }
        return "127.0.0.1";
    }
}
