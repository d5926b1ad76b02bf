package io.kk.cluster.addons;

import io.kk.cluster.network.CniImages;
import io.kk.cluster.network.KubeStep;
import io.kk.cluster.network.Template;
import io.kk.error.KkException;
import io.kk.image.RegistryTarget;
import io.kk.plan.Shell;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * KubeSphere v3 through its installer, as KubeKey 3.x does it: the ks-installer CRD, RBAC and
 * Deployment with the ClusterConfiguration appended in {@code /etc/kubernetes/addons/kubesphere.yaml}
 * (the config's own ClusterConfiguration document, or KubeKey's default for the version), the
 * etcd client certificates as the secret {@code kube-etcd-client-certs} for KubeSphere's etcd
 * monitoring, then {@code kubectl apply}. The ClusterConfiguration gets KubeKey's edits: etcd
 * endpoints and TLS, {@code local_registry} / {@code namespace_override} (removed when unset), the
 * container runtime, {@code zone} removed.
 */
public final class KubeSphereFiles {
    public static final String DEFAULT_VERSION = "v3.4.1";
    public static final String MANIFEST_PATH = AddonSteps.REMOTE_DIR + "/kubesphere.yaml";
    public static final String NAMESPACES_PATH = AddonSteps.REMOTE_DIR + "/kubesphere-namespaces.yaml";
    static final Pattern V3 = Pattern.compile("v3\\.[0-4]\\.\\d+");

    private KubeSphereFiles() {}

    /** Where the etcd client certificates come from, per etcd type. */
    public record EtcdAccess(
            List<String> endpointIps, int port, boolean tls, String caFile, String certFile, String keyFile) {
        public EtcdAccess {
            endpointIps = List.copyOf(endpointIps);
        }

        /** etcd type kubekey: kk's certificates on the first control plane. */
        public static EtcdAccess kubekey(List<String> etcdIps, String firstControlPlane) {
            String d = "/etc/ssl/etcd/ssl/";
            return new EtcdAccess(
                    etcdIps,
                    2379,
                    true,
                    d + "ca.pem",
                    d + "node-" + firstControlPlane + ".pem",
                    d + "node-" + firstControlPlane + "-key.pem");
        }

        /** etcd type kubeadm: stacked etcd on the control planes, kubeadm's healthcheck client. */
        public static EtcdAccess kubeadm(List<String> controlPlaneIps) {
            String d = "/etc/kubernetes/pki/etcd/";
            return new EtcdAccess(
                    controlPlaneIps,
                    2379,
                    true,
                    d + "ca.crt",
                    d + "healthcheck-client.crt",
                    d + "healthcheck-client.key");
        }

        /** etcd type external: its endpoints; kk placed its files under /etc/ssl/etcd/ssl by base name. */
        public static EtcdAccess external(List<String> endpoints, String ca, String cert, String key) {
            List<String> ips = new ArrayList<>();
            int port = 2379;
            boolean tls = true;
            for (String e : endpoints) {
                String[] schemeRest = e.strip().split("://", 2);
                String hostPort = schemeRest.length == 2 ? schemeRest[1] : schemeRest[0];
                tls = !(schemeRest.length == 2 && schemeRest[0].equals("http"));
                int colon = hostPort.lastIndexOf(':');
                ips.add(colon < 0 ? hostPort : hostPort.substring(0, colon));
                if (colon >= 0) {
                    port = Integer.parseInt(hostPort.substring(colon + 1).replaceAll("/.*", ""));
                }
            }
            String d = "/etc/ssl/etcd/ssl/";
            return tls
                    ? new EtcdAccess(ips, port, true, d + base(ca), d + base(cert), d + base(key))
                    : new EtcdAccess(ips, port, false, "", "", "");
        }

        private static String base(String path) {
            return path.substring(path.lastIndexOf('/') + 1);
        }
    }

    /**
     * @param version e.g. v3.4.1 (KubeKey's ks-installer line; v4 is a different installer)
     * @param configurations the config's ClusterConfiguration text, or "" for the default
     * @param privateRegistry {@code registry.privateRegistry}, or ""
     * @param namespaceOverride {@code registry.namespaceOverride}, or ""
     * @param containerManager docker | containerd | crio | isula
     */
    public record Settings(
            String version,
            String configurations,
            EtcdAccess etcd,
            String privateRegistry,
            String namespaceOverride,
            String containerManager,
            RegistryTarget target) {
        public Settings {
            version = installableVersion(version);
            configurations = configurations == null ? "" : configurations;
        }

        /** KubeKey's name of the installer image, rewritten like every other image. */
        public String installerImage() {
            return CniImages.nodeName(target, installerSource(version));
        }
    }

    /**
     * The KubeSphere version kk installs for a configured one: the default when blank, with a
     * leading v; fails for anything but v3.0 to v3.4.
     */
    public static String installableVersion(String configured) {
        String version = configured == null || configured.isBlank() ? DEFAULT_VERSION : configured.strip();
        if (!version.startsWith("v")) {
            version = "v" + version;
        }
        if (!V3.matcher(version).matches()) {
            throw KkException.invalidInput(
                    "KubeSphere " + version + " is not installable by kk: it installs KubeSphere v3.0 to v3.4"
                            + " through ks-installer, as KubeKey 3.x does",
                    "use --with-kubesphere " + DEFAULT_VERSION + " or another v3.x version");
        }
        return version;
    }

    /** The installer image upstream (as the artifact holds it), before any registry rewriting. */
    public static String installerSource(String configuredVersion) {
        return "docker.io/kubesphere/ks-installer:" + installableVersion(configuredVersion);
    }

    /** kubesphere.yaml: the installer, then the ClusterConfiguration. */
    public static String manifest(Settings s) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("version", s.version());
        v.put("installerImage", s.installerImage());
        String installer =
                Template.resource(KubeSphereFiles.class, "ks-installer.yaml").render(v);
        return installer + clusterConfiguration(s);
    }

    /** The ClusterConfiguration with KubeKey's edits (its {@code sed} lines, done here). */
    public static String clusterConfiguration(Settings s) {
        String doc = s.configurations().isBlank()
                ? Template.resource(KubeSphereFiles.class, "ks-cluster-configuration.yaml")
                        .render(Map.of("version", s.version()))
                : (s.configurations().startsWith("---") ? "" : "---\n") + s.configurations();
        List<String> out = new ArrayList<>();
        for (String line : doc.split("\n", -1)) {
            String key = line.strip().split(":", 2)[0];
            String indent =
                    line.substring(0, line.length() - line.stripLeading().length());
            switch (key) {
                case "endpointIps" -> out.add(
                        indent + "endpointIps: " + String.join(",", s.etcd().endpointIps()));
                case "tlsEnable" -> out.add(s.etcd().tls() ? line : indent + "tlsEnable: false");
                case "local_registry" -> {
                    if (!s.privateRegistry().isEmpty()) {
                        out.add(indent + "local_registry: " + s.privateRegistry());
                    }
                }
                case "namespace_override" -> {
                    if (!s.namespaceOverride().isEmpty()) {
                        out.add(indent + "namespace_override: " + s.namespaceOverride());
                    }
                }
                case "zone" -> {
                    // KubeKey keeps zone only for its China mirrors, which kk does not use
                }
                case "containerruntime" -> out.add(
                        List.of("docker", "containerd", "crio").contains(s.containerManager())
                                ? indent + "containerruntime: " + s.containerManager()
                                : line);
                default -> out.add(
                        s.etcd().port() != 2379 && line.strip().equals("port: 2379")
                                ? indent + "port: " + s.etcd().port()
                                : line);
            }
        }
        String text = String.join("\n", out);
        return text.endsWith("\n") ? text : text + "\n";
    }

    /** The steps in order: namespaces, the etcd client secret, the installer with its configuration. */
    public static List<KubeStep> steps(Settings s) {
        String namespaces =
                """
                ---
                apiVersion: v1
                kind: Namespace
                metadata:
                  name: kubesphere-system
                ---
                apiVersion: v1
                kind: Namespace
                metadata:
                  name: kubesphere-monitoring-system
                """;
        StringBuilder secret = new StringBuilder(KubeStep.KUBECTL)
                .append(" -n kubesphere-monitoring-system create secret generic kube-etcd-client-certs");
        if (s.etcd().tls()) {
            secret.append(" --from-file=etcd-client-ca.crt=")
                    .append(Shell.quote(s.etcd().caFile()))
                    .append(" --from-file=etcd-client.crt=")
                    .append(Shell.quote(s.etcd().certFile()))
                    .append(" --from-file=etcd-client.key=")
                    .append(Shell.quote(s.etcd().keyFile()));
        }
        // create-or-update: KubeKey's 'create' tolerates "exists"; this also picks up renewed files
        secret.append(" --dry-run=client -o yaml | ").append(KubeStep.KUBECTL).append(" apply -f -");
        return List.of(
                new KubeStep(
                        "kubesphere-namespaces",
                        Map.of(NAMESPACES_PATH, namespaces),
                        Map.of(),
                        KubeStep.KUBECTL + " apply -f " + NAMESPACES_PATH,
                        1,
                        0),
                new KubeStep("kubesphere-etcd-client-certs", Map.of(), Map.of(), secret.toString(), 1, 0),
                new KubeStep(
                        "kubesphere",
                        Map.of(MANIFEST_PATH, manifest(s)),
                        Map.of(),
                        KubeStep.KUBECTL + " apply -f " + MANIFEST_PATH + " --force",
                        10,
                        10));
    }
}
