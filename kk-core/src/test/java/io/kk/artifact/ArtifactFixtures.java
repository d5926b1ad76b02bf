package io.kk.artifact;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** A plan shaped like a real export: binaries, an OS repo ISO, an OCI layout with blobs. */
final class ArtifactFixtures {
    static final Instant CREATED = Instant.parse("2026-01-02T03:04:05Z");

    private ArtifactFixtures() {}

    /** Where pieces are served from: the test's Upstream, or its address seen from a child JVM. */
    interface Mirror {
        URI put(String path, byte[] content);
    }

    static byte[] random(long seed, int size) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    /** Serves every remote piece from {@code upstream}; {@code scale} multiplies sizes. */
    static ExportPlan plan(Mirror upstream, int scale) {
        List<ArtifactPiece> pieces = new ArrayList<>();
        pieces.add(remote(upstream, "kube/v1.28.2/amd64/kubeadm", random(1, 300_000 * scale), true));
        pieces.add(remote(upstream, "kube/v1.28.2/amd64/kubelet", random(2, 500_000 * scale), true));
        pieces.add(remote(
                upstream, "etcd/v3.5.9/amd64/etcd-v3.5.9-linux-amd64.tar.gz", random(3, 200_000 * scale), false));
        pieces.add(remote(
                upstream, "repository/amd64/ubuntu/22.04/ubuntu-22.04-amd64.iso", random(4, 700_000 * scale), false));
        pieces.add(ArtifactPiece.generated(
                "images/oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes(StandardCharsets.UTF_8)));
        List<String> digests = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            byte[] blob = i % 2 == 0
                    ? random(10 + i, 100_000 * scale)
                    : ("text layer " + i + " ").repeat(5_000 * scale).getBytes(StandardCharsets.UTF_8);
            String hex = Hashing.sha256Hex(blob);
            digests.add(hex);
            pieces.add(remote(upstream, "images/blobs/sha256/" + hex, blob, false));
        }
        String index = "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":"
                + "\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"sha256:" + digests.get(0)
                + "\",\"size\":1,\"annotations\":{\"org.opencontainers.image.ref.name\":\"calico:cni:v3.26.1-amd64\"},"
                + "\"platform\":{\"os\":\"linux\",\"architecture\":\"amd64\"}}]}";
        pieces.add(ArtifactPiece.generated("images/index.json", index.getBytes(StandardCharsets.UTF_8)));
        List<ImageEntry> images = List.of(new ImageEntry(
                "calico:cni:v3.26.1-amd64", "docker.io/calico/cni:v3.26.1", "linux/amd64", "sha256:" + digests.get(0)));
        String manifest = "apiVersion: kubekey.kubesphere.io/v1alpha2\nkind: Manifest\nmetadata:\n  name: test\n";
        return new ExportPlan(CREATED, "0.1.0-test", manifest, pieces, images);
    }

    static ArtifactPiece remote(Mirror upstream, String path, byte[] content, boolean executable) {
        URI uri = upstream.put("/" + path, content);
        PieceSource source = new HttpPieceSource(HttpPieceSource.defaultClient(), uri);
        String sha = Hashing.sha256Hex(content);
        return executable
                ? ArtifactPiece.executable(path, content.length, sha, source)
                : ArtifactPiece.file(path, content.length, sha, source);
    }
}
