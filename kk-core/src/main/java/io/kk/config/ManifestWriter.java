package io.kk.config;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes a {@link Manifest} in KubeKey's layout (hyphenated component keys included) plus kk's
 * extensions ({@code components.runc}, {@code spec.checksums}, {@code spec.charts}) when set. The output loads back to
 * an equal manifest.
 */
public final class ManifestWriter {
    private ManifestWriter() {}

    public static String write(Manifest m) {
        YamlText y = new YamlText();
        y.kv(0, "apiVersion", ClusterConfig.API_VERSION);
        y.kv(0, "kind", Manifest.KIND);
        y.line(0, "metadata:").kv(1, "name", m.name());
        y.line(0, "spec:");
        y.list(1, "arches", m.arches(), true);
        if (m.operatingSystems().isEmpty()) {
            y.line(1, "operatingSystems: []");
        } else {
            y.line(1, "operatingSystems:");
            for (Manifest.OperatingSystem os : m.operatingSystems()) {
                y.line(1, "- arch: " + YamlText.scalar(os.arch()));
                y.kv(2, "type", os.type());
                y.kv(2, "id", os.id());
                y.kv(2, "version", os.version());
                y.kv(2, "osImage", os.osImage());
                y.line(2, "repository:").line(3, "iso:");
                y.kv(4, "localPath", os.iso().localPath());
                y.kv(4, "url", os.iso().url());
                y.opt(4, "checksum", os.iso().checksum());
            }
        }
        if (m.kubernetesDistributions().isEmpty()) {
            y.line(1, "kubernetesDistributions: []");
        } else {
            y.line(1, "kubernetesDistributions:");
            for (Manifest.KubernetesDistribution d : m.kubernetesDistributions()) {
                y.line(1, "- type: " + YamlText.scalar(d.type()));
                y.kv(2, "version", d.version());
            }
        }
        Manifest.Components c = m.components();
        y.line(1, "components:");
        component(y, "helm", c.helm());
        component(y, "cni", c.cni());
        component(y, "etcd", c.etcd());
        if (c.containerRuntimes().isEmpty()) {
            y.line(2, "containerRuntimes: []");
        } else {
            y.line(2, "containerRuntimes:");
            for (Manifest.ContainerRuntime r : c.containerRuntimes()) {
                y.line(2, "- type: " + YamlText.scalar(r.type()));
                y.kv(3, "version", r.version());
            }
        }
        component(y, "runc", c.runc());
        component(y, "crictl", c.crictl());
        component(y, "calicoctl", c.calicoctl());
        component(y, "docker-registry", c.dockerRegistry());
        component(y, "harbor", c.harbor());
        component(y, "docker-compose", c.dockerCompose());
        y.list(1, "images", m.images(), true);
        y.line(1, "registry:");
        if (m.registryAuths().isEmpty()) {
            y.line(2, "auths: {}");
        } else {
            y.line(2, "auths:");
            m.registryAuths().forEach((host, a) -> {
                Map<String, Object> f = new LinkedHashMap<>();
                if (!a.username().isEmpty()) {
                    f.put("username", a.username());
                }
                if (!a.password().isEmpty()) {
                    f.put("password", a.password());
                }
                f.put("skipTLSVerify", a.skipTLSVerify());
                f.put("plainHTTP", a.plainHTTP());
                putIfSet(f, "certsPath", a.certsPath());
                putIfSet(f, "caFile", a.caFile());
                putIfSet(f, "certFile", a.certFile());
                putIfSet(f, "keyFile", a.keyFile());
                y.tree(3, YamlText.scalar(host), f);
            });
        }
        if (!m.checksums().isEmpty()) {
            y.line(1, "## kk: sha256 of files whose checksum neither the catalog nor the release publishes");
            y.tree(1, "checksums", m.checksums());
        }
        if (!m.charts().isEmpty()) {
            y.line(1, "## kk: Helm charts packed at charts/<name>-<version>.tgz (from a repository or a local .tgz)");
            y.line(1, "charts:");
            for (Manifest.Chart chart : m.charts()) {
                Map<String, Object> f = new LinkedHashMap<>();
                putIfSet(f, "name", chart.name());
                putIfSet(f, "repo", chart.repo());
                putIfSet(f, "version", chart.version());
                putIfSet(f, "path", chart.path());
                boolean first = true;
                for (Map.Entry<String, Object> e : f.entrySet()) {
                    y.line(
                            first ? 1 : 2,
                            (first ? "- " : "") + e.getKey() + ": " + YamlText.scalar((String) e.getValue()));
                    first = false;
                }
            }
        }
        return y.toString();
    }

    private static void putIfSet(Map<String, Object> m, String key, String value) {
        if (!value.isEmpty()) {
            m.put(key, value);
        }
    }

    private static void component(YamlText y, String key, Manifest.Component c) {
        if (c != null) {
            y.line(2, key + ":").kv(3, "version", c.version());
        }
    }
}
