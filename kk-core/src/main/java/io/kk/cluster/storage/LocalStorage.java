package io.kk.cluster.storage;

import io.kk.cluster.images.ClusterImages;
import io.kk.cluster.network.CniImages;
import io.kk.cluster.network.KubeStep;
import io.kk.cluster.network.Template;
import io.kk.config.ClusterConfig;
import io.kk.config.StorageConfig;
import io.kk.image.RegistryTarget;
import io.kk.plan.Shell;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * OpenEBS local PV as KubeKey's {@code DeployLocalVolumeModule} deploys it: {@code
 * /etc/kubernetes/addons/local-volume.yaml} (the provisioner and the default StorageClass {@code
 * local}, volumes under {@code storage.openebs.basePath}) applied from the first control plane,
 * unless the cluster already has another default StorageClass. On with {@code
 * --with-local-storage}, or with KubeSphere unless {@code --with-local-storage=false}.
 *
 * @param basePath where the volumes' directories are made on the nodes
 * @param provisionerImage {@code openebs/provisioner-localpv} as the nodes pull it
 * @param helperImage {@code openebs/linux-utils} as the nodes pull it
 */
public record LocalStorage(String basePath, String provisionerImage, String helperImage) {
    public static final String PATH = "/etc/kubernetes/addons/local-volume.yaml";
    public static final String STORAGE_CLASS = "local";

    /** KubeKey retries the deploy tasks 5 times, 5 s apart. */
    static final int ATTEMPTS = 5;

    static final int DELAY_SECONDS = 5;

    /** The settings of a config, with the images named as pushed under {@code target}. */
    public static LocalStorage of(ClusterConfig c, RegistryTarget target) {
        Map<String, String> images = new LinkedHashMap<>();
        for (ClusterImages.NeededImage i : ClusterImages.localStorage()) {
            images.put(i.name(), CniImages.nodeName(target, i.reference()));
        }
        return new LocalStorage(
                c.storage().openebsBasePath(), images.get("provisioner-localpv"), images.get("linux-utils"));
    }

    /** Whether the config deploys it (KubeKey: not without a network plugin). */
    public static boolean enabled(ClusterConfig c) {
        String plugin = c.network().plugin() == null ? "" : c.network().plugin().strip();
        boolean noNetwork = plugin.isEmpty() || plugin.equalsIgnoreCase("none");
        return !noNetwork && c.storage().deployLocalStorage(c.kubesphere().enabled());
    }

    /** The config with {@code --with-local-storage} applied (null: not given). */
    public static ClusterConfig withFlag(ClusterConfig c, Boolean flag) {
        if (flag == null) {
            return c;
        }
        return c.withStorage(new StorageConfig(c.storage().openebsBasePath(), flag));
    }

    public String manifest() {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("basePath", basePath);
        v.put("openebsVersion", ClusterImages.OPENEBS);
        v.put("provisionerImage", provisionerImage);
        v.put("helperImage", helperImage);
        return Template.resource(LocalStorage.class, "local-volume.yaml").render(v);
    }

    /**
     * The step. KubeKey skips it when the cluster has a default StorageClass; ours ({@code local},
     * from an earlier run) does not count, so a changed basePath is applied again.
     */
    public List<KubeStep> steps() {
        String kubectl = KubeStep.KUBECTL;
        String otherDefault = kubectl + " get storageclass --no-headers | grep -v "
                + Shell.quote("^" + STORAGE_CLASS + " ") + " | grep -q " + Shell.quote("(default)");
        return List.of(new KubeStep(
                "local-storage",
                Map.of(PATH, manifest()),
                Map.of(),
                "if " + otherDefault + "; then echo 'a default StorageClass exists: OpenEBS local PV not deployed';"
                        + " else " + kubectl + " apply -f " + PATH + "; fi",
                ATTEMPTS,
                DELAY_SECONDS));
    }
}
