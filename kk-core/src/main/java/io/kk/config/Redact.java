package io.kk.config;

/** How secrets look in toString: present or not, never their value. */
final class Redact {
    private Redact() {}

    static String secret(String s) {
        return s == null || s.isEmpty() ? "" : "<redacted>";
    }
}
