package io.kk.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;

class LogConfiguratorTest {
    /** Registered for logback's ServiceLoader (the shaded jar merges META-INF/services). */
    @Test
    void logbackFindsIt() {
        assertThat(ServiceLoader.load(Configurator.class).stream()
                        .map(p -> p.type().getName())
                        .toList())
                .contains(LogConfigurator.class.getName());
    }

    /** Libraries stay quiet below ERROR; an error is one line on stderr with its stack trace. */
    @Test
    void onlyErrorsReachStderr() {
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(new LogbackMDCAdapter()); // slf4j's provider gives kk's context one
        LogConfigurator.quietToStderr(context);
        Logger log = context.getLogger("org.apache.sshd.client.SshClient");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream saved = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            log.info("connected");
            log.warn("retrying");
            log.error("session {} lost", 7, new IllegalStateException("boom"));
        } finally {
            System.setErr(saved);
            context.stop();
        }
        String text = err.toString(StandardCharsets.UTF_8);
        assertThat(text).doesNotContain("connected").doesNotContain("retrying");
        assertThat(text.lines().findFirst().orElseThrow())
                .matches(
                        "\\d\\d:\\d\\d:\\d\\d\\.\\d\\d\\d ERROR org\\.apache\\.sshd\\.client\\.SshClient - session 7 lost");
        assertThat(text).contains("java.lang.IllegalStateException: boom").contains("at io.kk.cli.LogConfiguratorTest");
    }
}
