package io.kk.image.registry;

import static org.assertj.core.api.Assertions.assertThat;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import org.junit.jupiter.api.Test;

class TlsContextsTest {
    /**
     * A plain-HTTP registry's client gets the lazy default context with {@code engineDefaults()}:
     * should it reach https after all, its engines have the default context's protocols, cipher
     * suites and trust (a certificate the JDK does not trust is refused, not accepted).
     */
    @Test
    void theLazyDefaultContextMakesTheDefaultContextsEngines() throws Exception {
        SSLContext lazy = TlsContexts.lazySystemDefault();
        SSLEngine engine = lazy.createSSLEngine("registry.example", 443);
        engine.setUseClientMode(true);
        engine.setSSLParameters(TlsContexts.engineDefaults());
        SSLEngine reference = SSLContext.getDefault().createSSLEngine("registry.example", 443);
        reference.setUseClientMode(true);

        assertThat(engine.getEnabledProtocols()).containsExactly(reference.getEnabledProtocols());
        assertThat(engine.getEnabledCipherSuites()).containsExactly(reference.getEnabledCipherSuites());
        assertThat(lazy.getDefaultSSLParameters().getProtocols())
                .containsExactly(
                        SSLContext.getDefault().getDefaultSSLParameters().getProtocols());
        assertThat(lazy.getClientSessionContext())
                .isSameAs(SSLContext.getDefault().getClientSessionContext());
    }
}
