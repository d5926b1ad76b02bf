import io.kk.api.ImageExport;
import io.kk.event.EventSink;
import io.kk.image.copy.ImageCopier;
import io.kk.image.registry.RegistryAuth;
import io.kk.image.registry.RegistryCredentials;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Bench helper (kk has no export verb yet: the artifact export is another issue): registry -> one
 * OCI layout with kk's engine. Usage: ExportImages LAYOUT PLAIN_HTTP_HOST IMAGE...
 */
public class ExportImages {
    public static void main(String[] args) {
        String host = args[1];
        List<String> images = Arrays.asList(args).subList(2, args.length);
        int parallel = Integer.parseInt(System.getenv().getOrDefault("KK_PARALLEL", "12"));
        ImageCopier.Options o = ImageCopier.Options.defaults(
                        RegistryCredentials.of(Map.of(host, new RegistryAuth(null, null, false, true, null))))
                .withParallelism(parallel, 8);
        ImageExport.export(images, Path.of(args[0]), o, EventSink.NONE);
    }
}
