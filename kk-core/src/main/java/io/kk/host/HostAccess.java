package io.kk.host;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How to reach and log in to one host: KubeKey's {@code spec.hosts[]} connection fields. Secrets are
 * held here and nowhere else; {@link #toString()} never shows them.
 *
 * @param name the host name from the config, used in every message about the host
 * @param address IP or DNS name to connect to
 * @param port SSH port (KubeKey default 22)
 * @param user login user (KubeKey default root)
 * @param password login password, or null; also used for sudo when {@code sudoPassword} is null
 * @param privateKey a private key's text (OpenSSH or PEM), or null
 * @param privateKeyPath a private key file (OpenSSH or PEM), or null
 * @param sudoPassword the password sudo asks for, or null to use {@code password}
 * @param connectTimeout how long connecting and logging in may take (KubeKey's {@code timeout}, 30 s)
 * @param jump a bastion host to tunnel through, or null
 */
public record HostAccess(
        String name,
        String address,
        int port,
        String user,
        String password,
        String privateKey,
        Path privateKeyPath,
        String sudoPassword,
        Duration connectTimeout,
        HostAccess jump) {

    public static final int DEFAULT_PORT = 22;
    public static final String DEFAULT_USER = "root";
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(30);

    public HostAccess {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(address, "address");
        if (port <= 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        user = user == null || user.isBlank() ? DEFAULT_USER : user;
        connectTimeout = connectTimeout == null ? DEFAULT_CONNECT_TIMEOUT : connectTimeout;
    }

    /** root on port 22 with no credentials yet; add them with the {@code with*} methods. */
    public static HostAccess of(String name, String address) {
        return new HostAccess(name, address, DEFAULT_PORT, DEFAULT_USER, null, null, null, null, null, null);
    }

    public HostAccess withPort(int p) {
        return new HostAccess(
                name, address, p, user, password, privateKey, privateKeyPath, sudoPassword, connectTimeout, jump);
    }

    public HostAccess withUser(String u) {
        return new HostAccess(
                name, address, port, u, password, privateKey, privateKeyPath, sudoPassword, connectTimeout, jump);
    }

    public HostAccess withPassword(String p) {
        return new HostAccess(
                name, address, port, user, p, privateKey, privateKeyPath, sudoPassword, connectTimeout, jump);
    }

    public HostAccess withPrivateKey(String keyText) {
        return new HostAccess(
                name, address, port, user, password, keyText, privateKeyPath, sudoPassword, connectTimeout, jump);
    }

    public HostAccess withPrivateKeyPath(Path path) {
        return new HostAccess(
                name, address, port, user, password, privateKey, path, sudoPassword, connectTimeout, jump);
    }

    public HostAccess withSudoPassword(String p) {
        return new HostAccess(name, address, port, user, password, privateKey, privateKeyPath, p, connectTimeout, jump);
    }

    public HostAccess withConnectTimeout(Duration t) {
        return new HostAccess(name, address, port, user, password, privateKey, privateKeyPath, sudoPassword, t, jump);
    }

    public HostAccess withJump(HostAccess j) {
        return new HostAccess(
                name, address, port, user, password, privateKey, privateKeyPath, sudoPassword, connectTimeout, j);
    }

    /** The password sudo gets when it asks: the sudo password, else the login password, else null. */
    public String effectiveSudoPassword() {
        return sudoPassword != null ? sudoPassword : password;
    }

    public boolean isRoot() {
        return "root".equals(user);
    }

    /** {@code user@address:port}, as messages name the login. */
    public String login() {
        return user + "@" + address + ":" + port;
    }

    /** What credentials are set, without their values, e.g. "password" or "private key /root/.ssh/id". */
    public String credentialsDescription() {
        StringBuilder sb = new StringBuilder();
        if (privateKeyPath != null) {
            sb.append("private key ").append(privateKeyPath);
        } else if (privateKey != null) {
            sb.append("private key (inline)");
        }
        if (password != null) {
            sb.append(sb.isEmpty() ? "" : " and ").append("password");
        }
        return sb.isEmpty() ? "no credentials" : sb.toString();
    }

    @Override
    public String toString() {
        return "HostAccess[" + name + " " + login() + " with " + credentialsDescription()
                + (jump == null ? "" : " via " + jump.login()) + "]";
    }
}
