package io.kk.cli;

import io.kk.artifact.ArtifactContents;
import io.kk.artifact.ArtifactReader;
import io.kk.artifact.ImageEntry;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "inspect",
        description = "List an artifact's components, versions, arches, images and sizes (reads only its index).")
final class ArtifactInspectCommand implements Callable<Integer> {
    private final Console console;

    @Mixin
    GlobalOptions global;

    @Option(
            names = {"-a", "--artifact"},
            required = true,
            paramLabel = "FILE",
            description = "The artifact.")
    Path artifact;

    ArtifactInspectCommand(Console console) {
        this.console = console;
    }

    @Override
    public Integer call() {
        ArtifactContents c = new ArtifactReader(console).inspect(artifact);
        console.line(String.format(
                Locale.ROOT,
                "%s: %s, %s (%s of data in %d files)",
                c.file(),
                c.compression().name().toLowerCase(Locale.ROOT),
                ProgressRenderer.amount(c.fileBytes(), "B"),
                ProgressRenderer.amount(c.dataBytes(), "B"),
                c.files()));
        console.line(
                c.kkIndex()
                        ? "written by kk " + c.kkVersion() + " at " + c.created()
                        : "a KubeKey artifact (no kk index): listed by path");
        if (!c.components().isEmpty()) {
            console.line("");
            console.line(String.format(
                    Locale.ROOT, "%-24s %-14s %-8s %5s %12s", "COMPONENT", "VERSION", "ARCH", "FILES", "SIZE"));
            for (ArtifactContents.Component comp : c.components()) {
                console.line(String.format(
                        Locale.ROOT,
                        "%-24s %-14s %-8s %5d %12s",
                        comp.name(),
                        comp.version(),
                        comp.arch(),
                        comp.files(),
                        ProgressRenderer.amount(comp.bytes(), "B")));
            }
        }
        if (!c.charts().isEmpty()) {
            console.line("");
            console.line(String.format(Locale.ROOT, "%-32s %-14s %12s  %s", "CHART", "VERSION", "SIZE", "PATH"));
            for (ArtifactContents.Chart chart : c.charts()) {
                console.line(String.format(
                        Locale.ROOT,
                        "%-32s %-14s %12s  %s",
                        chart.name(),
                        chart.version(),
                        ProgressRenderer.amount(chart.bytes(), "B"),
                        chart.path()));
            }
        }
        console.line("");
        console.line("images: " + c.images().size() + " (" + c.blobs() + " blobs, "
                + ProgressRenderer.amount(c.imageBytes(), "B") + ")");
        if (!c.images().isEmpty()) {
            console.line(String.format(Locale.ROOT, "%-48s %-14s %s", "IMAGE", "PLATFORM", "DIGEST"));
            for (ImageEntry i : c.images()) {
                console.line(String.format(
                        Locale.ROOT,
                        "%-48s %-14s %s",
                        i.image().isEmpty() ? i.ref() : i.image(),
                        i.platform(),
                        i.digest()));
            }
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("file", c.file().toString());
        json.put("compression", c.compression().name().toLowerCase(Locale.ROOT));
        json.put("kkIndex", c.kkIndex());
        json.put("kkVersion", c.kkVersion());
        json.put("created", c.created());
        json.put("fileBytes", c.fileBytes());
        json.put("dataBytes", c.dataBytes());
        json.put("files", c.files());
        json.put("components", c.components());
        json.put("charts", c.charts());
        json.put("blobs", c.blobs());
        json.put("imageBytes", c.imageBytes());
        json.put("images", c.images());
        json.put("manifest", c.manifest());
        console.result(json);
        return 0;
    }
}
