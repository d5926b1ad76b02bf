package io.kk.error;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.UnresolvedAddressException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class CausesTest {
    private static Throwable get(String url) {
        HttpClient http = HttpClient.newHttpClient();
        return catchThrowable(() ->
                http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.discarding()));
    }

    @Test
    void anUnknownHostFromTheJdkHttpClientIsNamedNotNull() {
        Throwable e = get("http://no-such-host.invalid/x");
        assertThat(e).isInstanceOf(IOException.class);
        assertThat(Causes.describe(e)).startsWith("host not found").doesNotContain("null");
    }

    @Test
    void aWrappedUnresolvedAddressSaysHostNotFound() {
        ConnectException e = new ConnectException();
        e.initCause(new UnresolvedAddressException());
        assertThat(Causes.describe(e)).isEqualTo("host not found");
    }

    @Test
    void aRefusedConnectionSaysRefused() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Throwable e = get("http://127.0.0.1:" + port + "/");
        assertThat(e).isInstanceOf(IOException.class);
        assertThat(Causes.describe(e)).isEqualTo("connection refused");
    }

    @Test
    void otherwiseTheFirstMessageInTheChainOrTheTypeName() {
        assertThat(Causes.describe(new IOException(new IllegalStateException("disk on fire"))))
                .contains("disk on fire");
        assertThat(Causes.describe(new IllegalStateException())).isEqualTo("IllegalStateException");
    }

    @Test
    void aMissingFileIsNamed() {
        Throwable e = catchThrowable(() -> Files.readString(Path.of("/no/such/kk-file")));
        assertThat(e).isInstanceOf(NoSuchFileException.class);
        assertThat(Causes.describe(e)).isEqualTo("no such file: /no/such/kk-file");
    }
}
