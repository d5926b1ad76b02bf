package io.kk.download;

import io.kk.error.ErrorKind;
import io.kk.error.KkException;
import java.net.URI;

/**
 * The server answered 404 or 410: the file is not there (a version never published, or a mirror
 * that lacks it). Callers that know what the file is say so in their own words.
 */
public final class NotFoundException extends KkException {
    private static final long serialVersionUID = 1L;

    private final transient URI url;

    public NotFoundException(URI url, String message, String hint) {
        super(ErrorKind.FAILED, message, hint);
        this.url = url;
    }

    /** The URL that was asked (credentials removed). */
    public URI url() {
        return url;
    }
}
