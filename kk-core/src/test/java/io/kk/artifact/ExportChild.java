package io.kk.artifact;

import io.kk.event.Progress;
import java.net.URI;
import java.nio.file.Path;

/**
 * A separate JVM that exports the fixture plan from the parent test's mirror, printing a line per
 * progress event so the parent knows when to kill it.
 *
 * <p>Arguments: output path, mirror port, scale.
 */
public final class ExportChild {
    private ExportChild() {}

    public static void main(String[] args) {
        Path out = Path.of(args[0]);
        int port = Integer.parseInt(args[1]);
        int scale = Integer.parseInt(args[2]);
        ExportPlan plan =
                ArtifactFixtures.plan((path, content) -> URI.create("http://127.0.0.1:" + port + path), scale);
        new ArtifactWriter(e -> {
                    if (e instanceof Progress p) {
                        System.out.println("progress " + p.task() + " " + p.done());
                        System.out.flush();
                    }
                })
                .export(plan, out, ArtifactWriter.Options.defaults().withLookAhead(2, 1_000_000));
        System.out.println("done");
    }
}
