package io.kk.host;

import io.kk.error.ErrorKind;
import io.kk.error.KkException;

/** The connection to a host failed or dropped. The plan engine retries steps that hit this. */
public final class RemoteConnectionException extends KkException {
    private static final long serialVersionUID = 1L;

    public RemoteConnectionException(String message, String hint, Throwable cause) {
        super(ErrorKind.ENVIRONMENT, message, hint, cause);
    }
}
