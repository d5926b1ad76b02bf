package io.kk.config;

import java.util.List;

/**
 * An addon installed after the cluster: a Helm chart or YAML manifests.
 *
 * @param chart null when the addon has no chart source
 * @param yaml null when the addon has no yaml source
 * @param delay seconds between retries
 */
public record Addon(
        String name,
        String namespace,
        List<CustomScript> preInstall,
        List<CustomScript> postInstall,
        int retries,
        int delay,
        Chart chart,
        Yaml yaml) {

    public Addon {
        preInstall = List.copyOf(preInstall);
        postInstall = List.copyOf(postInstall);
    }

    /**
     * @param path a local .tgz or chart directory (instead of repo)
     * @param waitReady YAML key {@code wait}: wait for the release to be ready
     */
    public record Chart(
            String name,
            String repo,
            String path,
            String version,
            String valuesFile,
            List<String> values,
            boolean waitReady) {
        public Chart {
            values = List.copyOf(values);
        }
    }

    public record Yaml(List<String> path, List<String> values) {
        public Yaml {
            path = List.copyOf(path);
            values = List.copyOf(values);
        }
    }
}
