package io.kk.artifact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Crash at any moment, run again: the artifact ends byte-identical and no verified byte is fetched twice. */
class ExportResumeTest {
    @TempDir
    Path tmp;

    Upstream upstream;

    @BeforeEach
    void start() throws IOException {
        upstream = new Upstream();
    }

    @AfterEach
    void stop() {
        upstream.close();
    }

    @Test
    void crashesAtRandomPointsInProcessEndByteIdentical() throws Exception {
        ExportPlan clean = ArtifactFixtures.plan(upstream, 1);
        Path reference = tmp.resolve("reference.tar.zst");
        List<String> points = new ArrayList<>();
        new ArtifactWriter(e -> {}, p -> {
                    synchronized (points) {
                        points.add(p);
                    }
                })
                .export(clean, reference, ArtifactWriter.Options.defaults());

        Random random = new Random(42);
        for (int round = 0; round < 3; round++) {
            Path out = tmp.resolve("round" + round + ".tar.zst");
            AtomicLong fetched = new AtomicLong();
            ExportPlan plan = counting(clean, fetched);
            int crashes = 0;
            while (true) {
                int crashAt = 1 + random.nextInt(points.size());
                AtomicInteger reached = new AtomicInteger();
                ArtifactWriter writer = new ArtifactWriter(e -> {}, p -> {
                    if (reached.incrementAndGet() == crashAt) {
                        throw new ArtifactRoundTripTest.SimulatedCrash(p);
                    }
                });
                try {
                    writer.export(plan, out, ArtifactWriter.Options.defaults().withLookAhead(2, 1_500_000));
                    break;
                } catch (ArtifactRoundTripTest.SimulatedCrash expected) {
                    crashes++;
                }
            }
            assertThat(crashes).isPositive();
            assertThat(Files.readAllBytes(out)).as("round " + round).isEqualTo(Files.readAllBytes(reference));
            // Every byte written to a staged file was kept and used: nothing was fetched twice.
            assertThat(fetched.get()).as("bytes fetched over all runs").isEqualTo(clean.totalBytes());
        }
    }

    @Test
    void kill9OfASeparateExportProcessAtThreeRandomPointsEndsByteIdentical() throws Exception {
        int scale = 4;
        Path reference = tmp.resolve("reference.tar.zst");
        new ArtifactWriter(e -> {})
                .export(ArtifactFixtures.plan(upstream, scale), reference, ArtifactWriter.Options.defaults());
        upstream.pauseMillisPer64k = 15;

        Path out = tmp.resolve("artifact.tar.zst");
        Random random = new Random();
        int kills = 0;
        for (int i = 0; i < 3; i++) {
            int afterLines = 1 + random.nextInt(3);
            Process child = child(out, scale);
            try (BufferedReader lines =
                    new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                int seen = 0;
                while ((line = lines.readLine()) != null && !line.equals("done")) {
                    if (++seen == afterLines) {
                        Thread.sleep(random.nextInt(200));
                        Tools.run(tmp, "sh", "-c", "kill -9 " + child.pid()); // the shell builtin: no procps needed
                        kills++;
                        break;
                    }
                }
            } finally {
                child.destroyForcibly();
                child.waitFor(30, TimeUnit.SECONDS);
            }
        }
        assertThat(kills).isEqualTo(3);
        assertThat(ExportJournal.pathFor(out)).exists();

        upstream.pauseMillisPer64k = 0;
        Process last = child(out, scale);
        String output = new String(last.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(last.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(last.exitValue()).as(output).isZero();
        assertThat(Files.readAllBytes(out)).isEqualTo(Files.readAllBytes(reference));
        assertThat(ExportJournal.pathFor(out)).doesNotExist();
    }

    @Test
    void aSecondExportToTheSameOutputIsRefusedWhileTheFirstRuns() throws Exception {
        ExportPlan plan = ArtifactFixtures.plan(upstream, 1);
        Path out = tmp.resolve("artifact.tar.zst");
        try (ExportJournal held = ExportJournal.open(ExportJournal.pathFor(out), "x", List.of())) {
            assertThatThrownBy(() -> new ArtifactWriter(e -> {}).export(plan, out, ArtifactWriter.Options.defaults()))
                    .hasMessageContaining("another kk export");
        }
    }

    private Process child(Path out, int scale) throws IOException {
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(
                        java,
                        "-cp",
                        System.getProperty("java.class.path"),
                        ExportChild.class.getName(),
                        out.toString(),
                        Integer.toString(upstream.port()),
                        Integer.toString(scale))
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
    }

    /** The same plan with every source counting the bytes it writes into staged files. */
    private static ExportPlan counting(ExportPlan plan, AtomicLong fetched) {
        List<ArtifactPiece> pieces = new ArrayList<>();
        for (ArtifactPiece p : plan.pieces()) {
            PieceSource inner = p.source();
            PieceSource counted = new PieceSource() {
                @Override
                public void fetchInto(Path partial, LongConsumer progress) throws IOException {
                    inner.fetchInto(partial, n -> {
                        fetched.addAndGet(n);
                        progress.accept(n);
                    });
                }

                @Override
                public Optional<Path> local() {
                    return inner.local();
                }

                @Override
                public String describe() {
                    return inner.describe();
                }
            };
            pieces.add(new ArtifactPiece(p.path(), p.size(), p.sha256(), p.mode(), counted));
        }
        return new ExportPlan(plan.created(), plan.kkVersion(), plan.manifest(), pieces, plan.images());
    }
}
