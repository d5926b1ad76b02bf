package io.kk.cli;

import io.kk.api.PushImages;
import io.kk.config.ClusterConfig;
import io.kk.image.copy.CopySummary;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "images",
        mixinStandardHelpOptions = true,
        description = "Push every image of the artifact to the private registry with KubeKey's naming"
                + " (privateRegistry, namespaceOverride), trusting kk's registry CA.")
final class InitImagesCommand implements Callable<Integer> {
    private final Console console;

    @Mixin
    GlobalOptions global;

    @Mixin
    DeliveryOptions delivery;

    @Option(names = "--dry-run", description = "Print what would be pushed where; push nothing.")
    boolean dryRun;

    InitImagesCommand(Console console) {
        this.console = console;
    }

    @Override
    public Integer call() {
        ClusterConfig config = delivery.loadConfig(console);
        if (dryRun) {
            PushImages.Plan plan =
                    PushImages.plan(new PushImages.Request(config, delivery.plannedArtifactDir(), delivery.workDir));
            console.line("push every image of " + plan.layout() + " to " + plan.registry() + " (connecting to "
                    + plan.connectTo() + (plan.caFile().isEmpty() ? "" : ", trusting " + plan.caFile()) + ")");
            console.result(plan);
            return 0;
        }
        CopySummary summary = PushImages.run(
                new PushImages.Request(config, delivery.artifactDir(console), delivery.workDir), console);
        for (CopySummary.CopiedImage i : summary.images()) {
            console.line((i.unchanged() ? "unchanged " : "pushed    ") + i.destination() + "@" + i.digest());
        }
        console.line(String.format(
                "%d images, %d blobs copied, %d skipped",
                summary.images().size(), summary.blobsTransferred(), summary.blobsSkipped()));
        console.result(summary);
        return 0;
    }
}
