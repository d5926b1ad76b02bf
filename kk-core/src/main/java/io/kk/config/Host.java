package io.kk.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * One machine of the cluster, with KubeKey's defaults applied (port 22, user root, arch amd64,
 * timeout 30, privateKeyPath {@code ~/.ssh/id_rsa} when neither password nor key is given, and
 * address/internalAddress copied to each other). {@link #toString()} never shows the password or
 * the private key.
 *
 * @param internalAddress the cluster-side address; may be {@code "ipv4,ipv6"} (dual stack)
 * @param privateKeyPath as written ({@code ~/} not expanded; see {@link #privateKeyFile(Path)})
 * @param timeout SSH connect timeout in seconds
 */
public record Host(
        String name,
        String address,
        String internalAddress,
        int port,
        String user,
        String password,
        String privateKey,
        String privateKeyPath,
        String arch,
        long timeout,
        Map<String, String> labels) {

    public Host {
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        io.kk.error.Secrets.remember(password);
        io.kk.error.Secrets.remember(privateKey);
    }

    /** The IPv4 (first) part of internalAddress. */
    public String internalIPv4() {
        return List.of(internalAddress.split(",")).get(0).strip();
    }

    /** The IPv6 part of a dual-stack internalAddress, or empty. */
    public String internalIPv6() {
        String[] parts = internalAddress.split(",");
        return parts.length > 1 ? parts[1].strip() : "";
    }

    /** The private key file with {@code ~/} expanded against {@code home}; null without one. */
    public Path privateKeyFile(Path home) {
        if (privateKeyPath == null || privateKeyPath.isEmpty()) {
            return null;
        }
        String p = privateKeyPath.strip();
        return p.startsWith("~/") ? home.resolve(p.substring(2)) : Path.of(p);
    }

    @Override
    public String toString() {
        return "Host[name=" + name + ", address=" + address + ", internalAddress=" + internalAddress + ", port=" + port
                + ", user=" + user + ", password=" + Redact.secret(password) + ", privateKey="
                + Redact.secret(privateKey) + ", privateKeyPath=" + privateKeyPath + ", arch=" + arch + ", timeout="
                + timeout + ", labels=" + labels + "]";
    }
}
