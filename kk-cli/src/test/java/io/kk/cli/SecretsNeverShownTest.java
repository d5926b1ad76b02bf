package io.kk.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Whatever path a secret takes to the console (an error message, a stack trace), it is not shown. */
class SecretsNeverShownTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int kk(String... args) {
        return Main.run(
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                args);
    }

    private String all() {
        return out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8);
    }

    private Path config(String privateRegistry) throws Exception {
        Path file = dir.resolve("cluster.yaml");
        Files.writeString(
                file,
                """
                apiVersion: kubekey.kubesphere.io/v1alpha2
                kind: Cluster
                metadata: {name: s}
                spec:
                  hosts:
                  - {name: node1, address: 192.0.2.11, user: root, password: "Host-Pw-Zq81"}
                  roleGroups: {etcd: [node1], control-plane: [node1], worker: [node1]}
                  kubernetes: {version: v1.28.2}
                  registry:
                    privateRegistry: "%s"
                    auths:
                      "reg.example.com:5000": {username: u1, password: "Reg-Pw-Xk42", skipTLSVerify: true}
                """
                        .formatted(privateRegistry));
        return file;
    }

    @Test
    void credentialsWrittenIntoTheRegistryAddressAreNotQuotedBackInTheError() throws Exception {
        Path c = config("u1:Userinfo-Pw-Vb77@reg.example.com:5000");
        for (String[] mode : new String[][] {{}, {"--debug"}, {"--debug", "--output", "json"}}) {
            out.reset();
            err.reset();
            String[] args = new String[5 + mode.length];
            System.arraycopy(new String[] {"create", "cluster", "--dry-run", "-f", c.toString()}, 0, args, 0, 5);
            System.arraycopy(mode, 0, args, 5, mode.length);
            assertThat(kk(args)).isEqualTo(2);
            assertThat(all())
                    .contains("spec.registry.privateRegistry")
                    .contains("u1:<redacted>@reg.example.com:5000")
                    .doesNotContain("Userinfo-Pw-Vb77");
        }
    }

    @Test
    void aDryRunShowsNoPasswordInTextOrJson() throws Exception {
        Path c = config("reg.example.com:5000");
        for (String[] mode : new String[][] {{}, {"--debug", "--output", "json"}}) {
            out.reset();
            err.reset();
            String[] args = new String[7 + mode.length];
            System.arraycopy(
                    new String[] {"create", "cluster", "--dry-run", "-f", c.toString(), "--dir", dir.toString()},
                    0,
                    args,
                    0,
                    7);
            System.arraycopy(mode, 0, args, 7, mode.length);
            assertThat(kk(args)).isZero();
            assertThat(all()).doesNotContain("Host-Pw-Zq81").doesNotContain("Reg-Pw-Xk42");
        }
    }

    @Test
    void aManifestMadeFromAConfigWithRegistryPasswordsIsReadableByItsOwnerOnly() throws Exception {
        Path c = config("reg.example.com:5000");
        Path manifest = dir.resolve("manifest.yaml");
        Files.writeString(manifest, "left from before\n"); // replaced: its old mode 0644 is not kept
        assertThat(kk("create", "manifest", "-f", c.toString(), "-o", manifest.toString(), "--yes"))
                .as(all())
                .isZero();
        assertThat(Files.readString(manifest)).contains("password: Reg-Pw-Xk42");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(manifest)))
                .isEqualTo("rw-------");
        assertThat(all()).doesNotContain("Reg-Pw-Xk42");
    }
}
