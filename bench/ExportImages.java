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
 * Bench helper: registry -> one OCI layout with kk's image engine ({@code ImageCopier}), what
 * `skopeo copy --all` to an oci: layout does. (kk's `artifact export` fetches the same blobs with
 * the same registry client but streams them into one compressed file, which skopeo has no
 * counterpart for.) kk's default parallelism unless KK_PARALLEL says otherwise.
 * Usage: ExportImages LAYOUT PLAIN_HTTP_HOST IMAGE...
 */
public class ExportImages {
    public static void main(String[] args) {
        String host = args[1];
        List<String> images = Arrays.asList(args).subList(2, args.length);
        ImageCopier.Options o = ImageCopier.Options.defaults(
                RegistryCredentials.of(Map.of(host, new RegistryAuth(null, null, false, true, null))));
        String parallel = System.getenv("KK_PARALLEL");
        if (parallel != null) {
            o = o.withParallelism(Integer.parseInt(parallel), o.parallelImages());
        }
        ImageExport.export(images, Path.of(args[0]), o, EventSink.NONE);
    }
}
