package io.kk.error;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class SecretsTest {
    @Test
    void urlUserinfoIsMaskedButTheUserAndHostStay() {
        assertThat(Secrets.redact("GET https://admin:Url-Pw-1@reg.example.com:5000/v2/ failed"))
                .isEqualTo("GET https://admin:<redacted>@reg.example.com:5000/v2/ failed");
    }

    @Test
    void bareUserPasswordAtHostIsMasked() {
        assertThat(Secrets.redact("bad privateRegistry \"bob:Bare-Pw-2@10.0.0.1:5000\" (hint: ...)"))
                .isEqualTo("bad privateRegistry \"bob:<redacted>@10.0.0.1:5000\" (hint: ...)");
    }

    @Test
    void imageReferencesWithDigestsAndPortsAreLeftAlone() {
        String text = "busybox:1.36@sha256:abcd 10.0.0.1:5000/library/busybox:1.36@sha256:ef01 root@10.0.0.1:22";
        assertThat(Secrets.redact(text)).isEqualTo(text);
    }

    @Test
    void authorizationHeadersAndTokenParametersAreMasked() {
        assertThat(Secrets.redact("Authorization: Basic dXNlcjpwYXNz and Authorization: Bearer eyJhbGc.x.y"))
                .isEqualTo("Authorization: Basic <redacted> and Authorization: Bearer <redacted>");
        assertThat(Secrets.redact("GET https://auth.example.com/token?service=r&access_token=abc123&x=1"))
                .isEqualTo("GET https://auth.example.com/token?service=r&access_token=<redacted>&x=1");
    }

    @Test
    void rememberedSecretsAndTheirBase64FormsAreMaskedWhereverTheyAppear() {
        Secrets.rememberLogin("reguser", "Remembered-Pw-3");
        String basic = Base64.getEncoder().encodeToString("reguser:Remembered-Pw-3".getBytes(StandardCharsets.UTF_8));
        assertThat(Secrets.redact("echo Remembered-Pw-3 | sudo -S true; auth=" + basic))
                .isEqualTo("echo <redacted> | sudo -S true; auth=<redacted>");
    }

    @Test
    void aPrivateKeysBodyLinesAreMaskedOneByOne() {
        Secrets.remember("-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAE\n"
                + "QyNTUxOQAAACCWo8biuk7lBkxjp0jX+5V3Ub\n-----END OPENSSH PRIVATE KEY-----\n");
        assertThat(Secrets.redact("parse error near QyNTUxOQAAACCWo8biuk7lBkxjp0jX+5V3Ub"))
                .isEqualTo("parse error near <redacted>");
    }

    @Test
    void shortValuesAreNotRememberedSoOrdinaryWordsStay() {
        Secrets.remember("abc");
        assertThat(Secrets.redact("abc def")).isEqualTo("abc def");
    }
}
