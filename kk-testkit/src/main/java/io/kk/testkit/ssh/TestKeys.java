package io.kk.testkit.ssh;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;

/** SSH key pairs made by the real {@code ssh-keygen} (package openssh-client), as users make them. */
public final class TestKeys {
    /** A key pair on disk: {@code privateKey} and {@code privateKey + ".pub"}. */
    public record KeyFiles(Path privateKey, Path publicKeyFile) {
        public String publicKeyLine() {
            try {
                return Files.readString(publicKeyFile, StandardCharsets.UTF_8).strip();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        public PublicKey publicKey() {
            try {
                return PublicKeyEntry.parsePublicKeyEntry(publicKeyLine())
                        .resolvePublicKey(null, java.util.Map.of(), PublicKeyEntryResolver.FAILING);
            } catch (IOException | java.security.GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }

        public String privateKeyText() {
            try {
                return Files.readString(privateKey, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private TestKeys() {}

    /** An ed25519 key in OpenSSH's own format. */
    public static KeyFiles ed25519(Path dir, String name) {
        return keygen(dir, name, "-t", "ed25519");
    }

    /** An RSA key in the old PEM format ("BEGIN RSA PRIVATE KEY"). */
    public static KeyFiles rsaPem(Path dir, String name) {
        return keygen(dir, name, "-t", "rsa", "-b", "2048", "-m", "PEM");
    }

    /** An RSA key in OpenSSH's own format. */
    public static KeyFiles rsaOpenSsh(Path dir, String name) {
        return keygen(dir, name, "-t", "rsa", "-b", "2048");
    }

    private static KeyFiles keygen(Path dir, String name, String... type) {
        Path key = dir.resolve(name);
        List<String> cmd = new ArrayList<>(List.of("ssh-keygen", "-q", "-N", "", "-C", "kk-test-" + name, "-f"));
        cmd.add(key.toString());
        cmd.addAll(List.of(type));
        run(cmd);
        return new KeyFiles(key, dir.resolve(name + ".pub"));
    }

    static String run(List<String> cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", cmd) + " hung");
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", cmd) + " failed (" + p.exitValue() + "): " + out);
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + cmd.get(0) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
