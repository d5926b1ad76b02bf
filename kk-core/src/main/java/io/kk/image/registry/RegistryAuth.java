package io.kk.image.registry;

import java.nio.file.Path;

/**
 * How to reach one registry: credentials (may be empty), TLS and scheme, as in KubeKey's {@code
 * auths} entries. {@link #toString()} never shows the password.
 *
 * @param caFile a PEM file with the CA(s) that signed the registry's certificate, or null
 */
public record RegistryAuth(String username, String password, boolean skipTlsVerify, boolean plainHttp, Path caFile) {
    public static final RegistryAuth ANONYMOUS = new RegistryAuth(null, null, false, false, null);

    public boolean hasCredentials() {
        return username != null && !username.isEmpty() && password != null;
    }

    public RegistryAuth withCredentials(String user, String pass) {
        return new RegistryAuth(user, pass, skipTlsVerify, plainHttp, caFile);
    }

    @Override
    public String toString() {
        return "RegistryAuth[username=" + username + ", password=" + (password == null ? "none" : "***")
                + ", skipTlsVerify=" + skipTlsVerify + ", plainHttp=" + plainHttp + ", caFile=" + caFile + "]";
    }
}
