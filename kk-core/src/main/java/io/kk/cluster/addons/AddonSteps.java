package io.kk.cluster.addons;

import io.kk.cluster.network.CniManifests;
import io.kk.cluster.network.KubeStep;
import io.kk.config.Addon;
import io.kk.error.KkException;
import io.kk.plan.Shell;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The config's {@code addons[]}, in order, as commands on the first control plane with the helm and
 * kubectl binaries kk installed there. An addon with a chart is installed with {@code helm upgrade
 * --install} (KubeKey's upgrade-or-install, namespace created, 300 s timeout); its yaml paths, also
 * when it has a chart (then after it, as KubeKey does), are applied with {@code kubectl apply}: from
 * Kubernetes 1.16 server-side, as KubeKey's {@code InstallYaml} does ({@link #applyFlags}). Local
 * files (a chart .tgz, a valuesFile, yaml files) are uploaded under {@link #REMOTE_DIR}{@code
 * /<addon>/} first.
 *
 * <p>Where the chart comes from, first match wins: {@code sources.chart.path} (a .tgz, relative to
 * the config file); the artifact's {@code charts/<name>-<version>.tgz}; the repo ({@code --repo}).
 */
public final class AddonSteps {
    public static final String REMOTE_DIR = "/etc/kubernetes/addons";
    /** KubeKey's helm timeout for addons. */
    static final String TIMEOUT = "300s";
    /** KubeKey's task delay when an addon gives none. */
    static final int DEFAULT_DELAY = 5;

    /**
     * The field manager KubeKey's apply uses in both modes (its ApplyOptions are built with
     * {@code FieldManagerClientSideApply}): kept, so kk's re-apply of a KubeKey-made addon owns the
     * same fields and raises no conflict.
     */
    static final String FIELD_MANAGER = "kubectl-client-side-apply";

    private AddonSteps() {}

    /** KubeKey applies addon manifests server-side from Kubernetes 1.16 on. */
    public static boolean serverSideApply(io.kk.config.KubernetesConfig k) {
        return k.isAtLeast(1, 16);
    }

    /**
     * The flags of KubeKey's addon apply ({@code addons/manifests.go}): server-side from 1.16 with
     * its field manager and without {@code --force-conflicts} (a field another manager changed
     * fails the apply, as in KubeKey), and no schema validation ({@code FieldValidationIgnore}).
     */
    static String applyFlags(boolean serverSide) {
        return (serverSide ? " --server-side --field-manager=" + FIELD_MANAGER : "") + " --validate=false";
    }

    /**
     * @param configDir the config file's directory: local paths are relative to it
     * @param artifactDir the imported artifact (for {@code charts/}); may be null
     * @param serverSide yaml is applied server-side ({@link #serverSideApply})
     */
    public static List<KubeStep> steps(List<Addon> addons, Path configDir, Path artifactDir, boolean serverSide) {
        List<KubeStep> out = new ArrayList<>();
        for (Addon a : addons) {
            out.addAll(steps(a, configDir, artifactDir, serverSide));
        }
        return out;
    }

    /**
     * One addon's steps: its chart, then its yaml paths, as KubeKey installs both when both are
     * given. {@code sources.yaml.values} is not used: KubeKey's Yaml source has only {@code path}
     * (its YAML decoder drops the key), so kk accepts it and applies the files as they are.
     */
    public static List<KubeStep> steps(Addon a, Path configDir, Path artifactDir, boolean serverSide) {
        boolean chart = a.chart() != null
                && a.chart().name() != null
                && !a.chart().name().isBlank();
        boolean yaml = a.yaml() != null && !a.yaml().path().isEmpty();
        if (!chart && !yaml) {
            throw KkException.invalidInput(
                    "addon " + a.name() + " has neither sources.chart.name nor sources.yaml.path",
                    "give the chart (name with repo or path) or the manifests to apply");
        }
        List<KubeStep> out = new ArrayList<>();
        if (chart) {
            out.add(chartStep(a, configDir, artifactDir));
        }
        if (yaml) {
            // the stamp keeps its name when yaml is the addon's only source
            out.add(yamlStep(a, configDir, chart ? "addon-" + a.name() + "-yaml" : "addon-" + a.name(), serverSide));
        }
        return out;
    }

    static KubeStep chartStep(Addon a, Path configDir, Path artifactDir) {
        Addon.Chart c = a.chart();
        String dir = REMOTE_DIR + "/" + a.name();
        Map<String, Path> uploads = new LinkedHashMap<>();
        String chartRef;
        boolean fromRepo = false;
        Path local = localChart(a, configDir, artifactDir);
        if (local != null) {
            chartRef = dir + "/" + local.getFileName();
            uploads.put(chartRef, local);
        } else if (c.repo() != null && !c.repo().isBlank()) {
            chartRef = c.name();
            fromRepo = true;
        } else {
            throw KkException.invalidInput(
                    "addon " + a.name() + ": chart " + c.name() + " has no repo, no path, and the artifact holds no "
                            + CniManifests.CHARTS_DIR + "/" + c.name() + "-" + c.version() + ".tgz",
                    "set sources.chart.repo, or sources.chart.path to a .tgz, or export an artifact with the chart");
        }
        StringBuilder cmd = new StringBuilder(KubeStep.HELM)
                .append(" upgrade --install ")
                .append(Shell.quote(a.name()))
                .append(' ')
                .append(Shell.quote(chartRef));
        if (fromRepo) {
            cmd.append(" --repo ").append(Shell.quote(c.repo()));
            if (c.version() != null && !c.version().isBlank()) {
                cmd.append(" --version ").append(Shell.quote(c.version()));
            }
        }
        cmd.append(" --namespace ").append(Shell.quote(namespace(a))).append(" --create-namespace");
        if (c.valuesFile() != null && !c.valuesFile().isBlank()) {
            if (isUrl(c.valuesFile())) {
                cmd.append(" -f ").append(Shell.quote(c.valuesFile()));
            } else {
                Path values = existing(configDir.resolve(c.valuesFile()), a, "sources.chart.valuesFile");
                String remote = dir + "/values-" + values.getFileName();
                uploads.put(remote, values);
                cmd.append(" -f ").append(Shell.quote(remote));
            }
        }
        for (String v : c.values()) {
            cmd.append(" --set ").append(Shell.quote(v));
        }
        if (c.waitReady()) {
            cmd.append(" --wait");
        }
        cmd.append(" --timeout ").append(TIMEOUT);
        return new KubeStep("addon-" + a.name(), Map.of(), uploads, cmd.toString(), attempts(a), delay(a));
    }

    /** The chart .tgz on the control machine, or null to install from the repo. */
    static Path localChart(Addon a, Path configDir, Path artifactDir) {
        Addon.Chart c = a.chart();
        if (c.path() != null && !c.path().isBlank()) {
            Path p = configDir.resolve(c.path());
            if (Files.isRegularFile(p)) {
                return p;
            }
            // KubeKey reads path as a local chart repository holding <name>: accept its packed form
            if (Files.isDirectory(p)) {
                for (String f : List.of(c.name() + "-" + c.version() + ".tgz", c.name() + ".tgz")) {
                    if (Files.isRegularFile(p.resolve(f))) {
                        return p.resolve(f);
                    }
                }
            }
            throw KkException.invalidInput(
                    "addon " + a.name() + ": sources.chart.path " + p + " is not a chart .tgz"
                            + (Files.isDirectory(p.resolve(c.name())) ? " (an unpacked chart directory)" : ""),
                    "pack the chart with 'helm package' and point sources.chart.path at the .tgz");
        }
        if (artifactDir != null && c.version() != null && !c.version().isBlank()) {
            Path packed = artifactDir.resolve(CniManifests.CHARTS_DIR).resolve(c.name() + "-" + c.version() + ".tgz");
            if (Files.isRegularFile(packed)) {
                return packed;
            }
        }
        return null;
    }

    static KubeStep yamlStep(Addon a, Path configDir, String stepName, boolean serverSide) {
        String dir = REMOTE_DIR + "/" + a.name();
        Map<String, Path> uploads = new LinkedHashMap<>();
        StringBuilder cmd = new StringBuilder(KubeStep.KUBECTL).append(" apply").append(applyFlags(serverSide));
        if (a.namespace() != null && !a.namespace().isBlank()) {
            cmd.append(" -n ").append(Shell.quote(a.namespace()));
        }
        int i = 0;
        for (String path : a.yaml().path()) {
            i++;
            if (isUrl(path)) {
                cmd.append(" -f ").append(Shell.quote(path));
            } else {
                Path file = existing(configDir.resolve(path), a, "sources.yaml.path");
                // numbered: two files of one name from different directories stay apart, in order
                String remote = dir + "/" + i + "-" + file.getFileName();
                uploads.put(remote, file);
                cmd.append(" -f ").append(Shell.quote(remote));
            }
        }
        return new KubeStep(stepName, Map.of(), uploads, cmd.toString(), attempts(a), delay(a));
    }

    private static String namespace(Addon a) {
        return a.namespace() == null || a.namespace().isBlank() ? "default" : a.namespace();
    }

    private static int attempts(Addon a) {
        return Math.max(1, a.retries());
    }

    private static int delay(Addon a) {
        return a.delay() > 0 ? a.delay() : DEFAULT_DELAY;
    }

    private static boolean isUrl(String s) {
        return s.startsWith("http://") || s.startsWith("https://");
    }

    private static Path existing(Path p, Addon a, String field) {
        if (!Files.isRegularFile(p)) {
            throw KkException.invalidInput(
                    "addon " + a.name() + ": " + field + " " + p + " does not exist",
                    "paths are relative to the config file's directory");
        }
        return p;
    }
}
