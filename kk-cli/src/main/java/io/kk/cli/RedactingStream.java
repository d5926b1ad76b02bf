package io.kk.cli;

import io.kk.error.Secrets;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Everything kk prints passes here, line by line, through {@link Secrets#redact}: results, JSON,
 * events, error messages and {@code --debug} stack traces. Redaction in one place, not at each call
 * site: a secret that slips into an exception message from a library is still not shown.
 */
final class RedactingStream extends OutputStream {
    private final OutputStream target;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();

    private RedactingStream(OutputStream target) {
        this.target = target;
    }

    /** {@code out} wrapped (once: an already redacting stream is returned as it is). */
    static PrintStream wrap(PrintStream out) {
        if (out instanceof Wrapped) {
            return out;
        }
        return new Wrapped(new RedactingStream(out));
    }

    private static final class Wrapped extends PrintStream {
        Wrapped(RedactingStream s) {
            super(s, true, StandardCharsets.UTF_8);
        }
    }

    @Override
    public synchronized void write(int b) throws IOException {
        line.write(b);
        if (b == '\n' || b == '\r') {
            emit();
        }
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) throws IOException {
        int start = off;
        for (int i = off; i < off + len; i++) {
            if (b[i] == '\n' || b[i] == '\r') {
                line.write(b, start, i + 1 - start);
                emit();
                start = i + 1;
            }
        }
        line.write(b, start, off + len - start);
    }

    @Override
    public synchronized void flush() throws IOException {
        emit();
        target.flush();
    }

    @Override
    public synchronized void close() throws IOException {
        flush();
    }

    private void emit() throws IOException {
        if (line.size() == 0) {
            return;
        }
        String text = line.toString(StandardCharsets.UTF_8);
        line.reset();
        target.write(Secrets.redact(text).getBytes(StandardCharsets.UTF_8));
    }
}
