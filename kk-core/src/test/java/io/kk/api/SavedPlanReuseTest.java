package io.kk.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.kk.artifact.ArtifactPiece;
import io.kk.catalog.Catalog;
import io.kk.config.Manifest;
import io.kk.download.DownloadSource;
import io.kk.download.HttpDownloader;
import io.kk.event.EventSink;
import io.kk.export.ExportPlanner;
import io.kk.export.SavedPlan;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A resumed export of an unchanged Manifest loads the saved plan instead of asking upstream again. */
class SavedPlanReuseTest {
    @TempDir
    Path dir;

    @Test
    void aSavedPlanIsLoadedWithoutAnyRequestAndAChangedKeyOrIsoPlansAfresh() throws Exception {
        byte[] binary = "pretend registry tarball".getBytes(StandardCharsets.UTF_8);
        String sha =
                HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(binary));
        AtomicInteger requests = new AtomicInteger();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            requests.incrementAndGet();
            boolean head = ex.getRequestMethod().equals("HEAD");
            ex.getResponseHeaders().set("Content-Length", String.valueOf(binary.length));
            ex.sendResponseHeaders(200, head ? -1 : binary.length);
            if (!head) {
                ex.getResponseBody().write(binary);
            }
            ex.close();
        });
        server.start();
        try {
            Path iso = dir.resolve("repo.iso");
            Files.write(iso, new byte[] {1, 2, 3});
            Path manifestFile = dir.resolve("manifest.yaml");
            Files.writeString(
                    manifestFile,
                    String.join(
                            "\n",
                            "apiVersion: kubekey.kubesphere.io/v1alpha2",
                            "kind: Manifest",
                            "metadata: {name: t}",
                            "spec:",
                            "  arches: [amd64, arm64]",
                            "  operatingSystems:",
                            "  - {arch: amd64, type: linux, id: debian, version: \"12\", repository: {iso: {localPath: "
                                    + iso + ", url: \"\"}}}",
                            "  components:",
                            "    docker-registry: {version: \"2.8.2\"}",
                            "  checksums:",
                            "    registry-2.8.2-linux-amd64.tar.gz: \"sha256:" + sha + "\"",
                            "    registry-2.8.2-linux-arm64.tar.gz: \"sha256:" + sha + "\"",
                            ""));
            Manifest manifest = Configs.loadManifest(manifestFile);
            String text = Files.readString(manifestFile);
            DownloadSource source =
                    DownloadSource.of("http://127.0.0.1:" + server.getAddress().getPort(), DownloadSource.Zone.DEFAULT);
            Instant created = Instant.parse("2023-11-14T22:13:20Z");
            ExportPlanner.Planned planned = new ExportPlanner(
                            Catalog.builtin(), source, HttpDownloader.standard(), EventSink.NONE)
                    .plan(manifest, text, dir, created, "v-test", dir.resolve("out.kkprefetch"));
            assertThat(requests.get()).as("planning asks the mirror").isPositive();
            assertThat(planned.plan().pieces()).hasSize(3);

            Path planFile = SavedPlan.pathFor(dir.resolve("out.tar.zst"));
            String key = SavedPlan.key(Files.readAllBytes(manifestFile), "mirror", "zstd");
            assertThat(SavedPlan.save(planFile, key, planned)).isTrue();

            requests.set(0);
            Optional<ExportPlanner.Planned> loaded = SavedPlan.load(planFile, key, manifest, created, "v-test", () -> {
                throw new AssertionError("the saved plan has the Manifest's text");
            });
            assertThat(requests.get()).as("no request to load a saved plan").isZero();
            assertThat(loaded).isPresent();
            assertThat(loaded.get().plan().index()).isEqualTo(planned.plan().index());
            assertThat(loaded.get().plan().pieces().stream()
                            .map(SavedPlanReuseTest::describe)
                            .toList())
                    .isEqualTo(planned.plan().pieces().stream()
                            .map(SavedPlanReuseTest::describe)
                            .toList());
            assertThat(loaded.get().binaries()).isEqualTo(planned.binaries());
            assertThat(loaded.get().isos()).isEqualTo(1);

            // other options (another key) or an ISO changed in place: plan afresh
            assertThat(SavedPlan.load(
                            planFile,
                            SavedPlan.key(Files.readAllBytes(manifestFile), "mirror", "gzip"),
                            manifest,
                            created,
                            "v-test",
                            () -> text))
                    .isEmpty();
            Files.write(iso, new byte[] {1, 2, 3, 4});
            assertThat(SavedPlan.load(planFile, key, manifest, created, "v-test", () -> text))
                    .isEmpty();
            assertThat(requests.get()).isZero();
        } finally {
            server.stop(0);
        }
    }

    private static List<Object> describe(ArtifactPiece p) {
        return List.of(p.path(), p.size(), p.sha256(), p.mode(), p.source().describe());
    }
}
