package io.kk.config;

/**
 * Credentials and TLS settings for one registry host. {@link #toString()} hides the password.
 *
 * @param plainHTTP implies skipTLSVerify
 * @param certsPath a directory: {@code *.crt} = CA, {@code *.cert} + {@code *.key} = client pair
 */
public record RegistryAuth(
        String username,
        String password,
        boolean skipTLSVerify,
        boolean plainHTTP,
        String certsPath,
        String caFile,
        String certFile,
        String keyFile) {

    public RegistryAuth {
        io.kk.error.Secrets.rememberLogin(username, password);
    }

    @Override
    public String toString() {
        return "RegistryAuth[username=" + username + ", password=" + Redact.secret(password) + ", skipTLSVerify="
                + skipTLSVerify + ", plainHTTP=" + plainHTTP + ", certsPath=" + certsPath + ", caFile=" + caFile
                + ", certFile=" + certFile + ", keyFile=" + keyFile + "]";
    }
}
