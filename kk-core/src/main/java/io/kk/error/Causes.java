package io.kk.error;

import java.io.FileNotFoundException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;

/**
 * Words for a low-level failure in a user-facing message. Many JDK exceptions carry no message (the
 * HTTP client's ConnectException on an unknown host has none: "cannot reach X: null" said nothing),
 * so this walks the cause chain and names the first thing an operator can act on.
 */
public final class Causes {
    private Causes() {}

    /** A short reason, never null or blank: "host not found: dl.k8s.io", "connection refused", ... */
    public static String describe(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            String known = known(c);
            if (known != null) {
                return known;
            }
            if (c.getCause() == null || c.getCause() == c) {
                break;
            }
        }
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            String m = c.getMessage();
            if (m != null && !m.isBlank()) {
                return m;
            }
        }
        return t == null ? "unknown error" : t.getClass().getSimpleName();
    }

    private static boolean hostNotFoundBelow(Throwable t) {
        for (Throwable c = t.getCause(); c != null && c != t; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof UnknownHostException || c instanceof UnresolvedAddressException) {
                return true;
            }
        }
        return false;
    }

    private static String known(Throwable c) {
        String m = c.getMessage() == null || c.getMessage().isBlank() ? null : c.getMessage();
        if (c instanceof UnknownHostException || c instanceof UnresolvedAddressException) {
            return m == null ? "host not found" : "host not found: " + m;
        }
        if (c instanceof HttpConnectTimeoutException) {
            return "connection timed out";
        }
        if (c instanceof HttpTimeoutException || c instanceof SocketTimeoutException) {
            return "timed out" + (m == null ? "" : " (" + m + ")");
        }
        if (c instanceof NoRouteToHostException) {
            return "no route to host";
        }
        if (c instanceof ConnectException && !hostNotFoundBelow(c)) {
            // the HTTP client throws it without a message (and wraps it again) for a refused port
            return m == null ? "connection refused" : m;
        }
        if (c instanceof NoSuchFileException || c instanceof FileNotFoundException) {
            return "no such file: " + m;
        }
        if (c instanceof AccessDeniedException) {
            return "permission denied: " + m;
        }
        return null;
    }
}
