package io.kk.artifact;

import io.kk.error.KkException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/**
 * A detached ed25519 signature of an artifact, {@code <artifact>.sig}: the signature is over the
 * 32 raw bytes of the artifact file's sha256. Keys are PEM files as {@code openssl genpkey
 * -algorithm ed25519} writes them (PKCS#8 private, SubjectPublicKeyInfo public).
 *
 * <pre>
 * kk-artifact-signature 1
 * sha256 &lt;hex of the artifact file&gt;
 * ed25519 &lt;base64 signature&gt;
 * </pre>
 */
public final class ArtifactSignature {
    private static final String MAGIC = "kk-artifact-signature 1";

    private ArtifactSignature() {}

    public static Path pathFor(Path artifact) {
        return artifact.resolveSibling(artifact.getFileName() + ".sig");
    }

    /** Signs {@code artifact}, writing {@code <artifact>.sig} atomically. */
    static Path sign(Path artifact, Path privateKeyPem) throws IOException {
        PrivateKey key = readPrivate(privateKeyPem);
        byte[] digest = HexFormat.of().parseHex(Hashing.sha256Hex(artifact));
        byte[] sig;
        try {
            Signature s = Signature.getInstance("Ed25519");
            s.initSign(key);
            s.update(digest);
            sig = s.sign();
        } catch (GeneralSecurityException e) {
            throw KkException.invalidInput(
                    "cannot sign with " + privateKeyPem + ": " + e.getMessage(), "give an ed25519 private key");
        }
        String text = MAGIC + "\nsha256 " + HexFormat.of().formatHex(digest) + "\ned25519 "
                + Base64.getEncoder().encodeToString(sig) + "\n";
        Path out = pathFor(artifact);
        io.kk.util.AtomicFiles.write(out, text.getBytes(StandardCharsets.US_ASCII), null);
        return out;
    }

    /**
     * Checks {@code <artifact>.sig} against the artifact and the public key; returns the artifact's
     * sha256. Throws FAILED when the signature is missing, does not match, or the file changed.
     */
    public static String verify(Path artifact, Path publicKeyPem) {
        Path sigFile = pathFor(artifact);
        try {
            if (!Files.exists(sigFile)) {
                throw KkException.failed(
                        "no signature " + sigFile,
                        "the artifact was exported without --key, or the .sig was not copied");
            }
            List<String> lines = Files.readAllLines(sigFile, StandardCharsets.US_ASCII);
            if (lines.size() < 3
                    || !lines.get(0).equals(MAGIC)
                    || !lines.get(1).startsWith("sha256 ")
                    || !lines.get(2).startsWith("ed25519 ")) {
                throw KkException.failed(sigFile + " is not a kk artifact signature", "");
            }
            PublicKey key = readPublic(publicKeyPem);
            String actual = Hashing.sha256Hex(artifact);
            if (!actual.equals(lines.get(1).substring(7).trim())) {
                throw KkException.failed(
                        "the artifact's sha256 " + actual + " is not the signed one "
                                + lines.get(1).substring(7),
                        "the artifact changed after it was signed; do not use it");
            }
            Signature s = Signature.getInstance("Ed25519");
            s.initVerify(key);
            s.update(HexFormat.of().parseHex(actual));
            if (!s.verify(Base64.getDecoder().decode(lines.get(2).substring(8).trim()))) {
                throw KkException.failed(
                        "the signature " + sigFile + " does not match the key " + publicKeyPem,
                        "the artifact was signed by another key, or the signature was altered");
            }
            return actual;
        } catch (IOException e) {
            throw KkException.environment("cannot read " + e.getMessage(), "", e);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw KkException.failed("cannot check the signature " + sigFile + ": " + e.getMessage(), "");
        }
    }

    private static PrivateKey readPrivate(Path pem) throws IOException {
        try {
            return KeyFactory.getInstance("Ed25519")
                    .generatePrivate(new PKCS8EncodedKeySpec(pemBody(pem, "PRIVATE KEY")));
        } catch (GeneralSecurityException e) {
            throw KkException.invalidInput(
                    pem + " is not an ed25519 private key", "create one with: openssl genpkey -algorithm ed25519");
        }
    }

    private static PublicKey readPublic(Path pem) throws IOException {
        try {
            return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(pemBody(pem, "PUBLIC KEY")));
        } catch (GeneralSecurityException e) {
            throw KkException.invalidInput(
                    pem + " is not an ed25519 public key", "derive it with: openssl pkey -in key.pem -pubout");
        }
    }

    private static byte[] pemBody(Path pem, String type) throws IOException {
        String text = Files.readString(pem, StandardCharsets.US_ASCII);
        String begin = "-----BEGIN " + type + "-----";
        String end = "-----END " + type + "-----";
        int b = text.indexOf(begin);
        int e = text.indexOf(end);
        if (b < 0 || e < b) {
            throw KkException.invalidInput(
                    pem + " is not a PEM " + type.toLowerCase(java.util.Locale.ROOT),
                    "give a PEM file starting with " + begin);
        }
        try {
            return Base64.getMimeDecoder().decode(text.substring(b + begin.length(), e));
        } catch (IllegalArgumentException ex) {
            throw KkException.invalidInput(pem + " has a damaged PEM body", "");
        }
    }
}
