package io.kk.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ManifestSecretsTest {
    @Test
    void registryPasswordsAreRedactedAndTheRestKept() {
        String text =
                """
                apiVersion: kubekey.kubesphere.io/v1alpha2
                kind: Manifest
                metadata: {name: sample}
                spec:
                  arches: [amd64]
                  registry:
                    auths:
                      "dockerhub.kubekey.local":
                        username: admin
                        password: "Harbor12345-s3cret"
                      "ghcr.io": {username: bot, password: tok-9f8e, identityToken: idt-77}
                """;

        String redacted = ManifestSecrets.redact(text);

        assertThat(redacted)
                .doesNotContain("Harbor12345-s3cret", "tok-9f8e", "idt-77")
                .contains("username: \"admin\"", "<redacted>", "kind: \"Manifest\"", "dockerhub.kubekey.local");
    }

    @Test
    void aManifestWithoutSecretsIsKeptByteForByte() {
        String text = "# comment kept\nkind: Manifest\nspec:\n  arches: [amd64]\n";

        assertThat(ManifestSecrets.redact(text)).isEqualTo(text);
    }

    @Test
    void anyKeyNamingAPasswordSecretOrTokenIsRedacted() {
        String text = "kind: Manifest\nspec:\n  harbor: {adminPassword: Harbor-Pw-1}\n"
                + "  extra: {jwtSecret: Jwt-S-2, access_token: Tok-3, secretKey: Sk-4, name: kept}\n";
        assertThat(ManifestSecrets.redact(text))
                .doesNotContain("Harbor-Pw-1", "Jwt-S-2", "Tok-3", "Sk-4")
                .contains("name: \"kept\"");
    }
}
