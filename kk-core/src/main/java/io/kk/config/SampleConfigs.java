package io.kk.config;

import io.kk.catalog.Versions;
import io.kk.error.KkException;
import java.util.Locale;

/**
 * Configs kk makes itself: the sample of {@code kk create config} and the all-in-one cluster of
 * {@code kk create cluster} without {@code -f}. Both go through the same reader as user files, so
 * defaults live in one place.
 */
public final class SampleConfigs {
    private SampleConfigs() {}

    /** Throws INVALID_INPUT unless {@code version} looks like vX.Y.Z. */
    public static String checkKubernetesVersion(String version) {
        if (!Versions.isKube(version)) {
            throw KkException.invalidInput(
                    "malformed Kubernetes version \"" + version + "\"",
                    "write it as vX.Y.Z, e.g. " + ClusterDefaults.KUBERNETES_VERSION);
        }
        return version;
    }

    /** KubeKey's sample: two example nodes, node1 in every role, node2 a worker. */
    public static ClusterConfig sample(String name, String kubernetesVersion) {
        checkKubernetesVersion(kubernetesVersion);
        String text = header(name)
                + "  hosts:\n"
                + "  - {name: node1, address: 172.16.0.2, internalAddress: 172.16.0.2, user: root, privateKeyPath: \"~/.ssh/id_rsa\"}\n"
                + "  - {name: node2, address: 172.16.0.3, internalAddress: 172.16.0.3, user: root, privateKeyPath: \"~/.ssh/id_rsa\"}\n"
                + "  roleGroups:\n"
                + "    etcd: [node1]\n"
                + "    control-plane: [node1]\n"
                + "    worker: [node1, node2]\n"
                + kubernetes(kubernetesVersion);
        return ConfigLoader.cluster(text, "sample", KnownVersions.ANY).orThrow();
    }

    /** One host, this machine, in every role; auto-renewal of certificates on (as KubeKey). */
    public static ClusterConfig allInOne(LocalMachine machine, String kubernetesVersion) {
        checkKubernetesVersion(kubernetesVersion);
        String host = machine.hostname().toLowerCase(Locale.ROOT);
        String text = header(host)
                + "  hosts:\n"
                + "  - {name: " + YamlText.scalar(host) + ", address: " + YamlText.scalar(machine.address())
                + ", internalAddress: " + YamlText.scalar(machine.address())
                + ", user: root, privateKeyPath: \"~/.ssh/id_rsa\", arch: "
                + machine.arch() + "}\n"
                + "  roleGroups:\n"
                + "    etcd: [" + YamlText.scalar(host) + "]\n"
                + "    control-plane: [" + YamlText.scalar(host) + "]\n"
                + "    worker: [" + YamlText.scalar(host) + "]\n"
                + kubernetes(kubernetesVersion);
        return ConfigLoader.cluster(text, "all-in-one", KnownVersions.ANY).orThrow();
    }

    private static String header(String name) {
        return "apiVersion: " + ClusterConfig.API_VERSION + "\nkind: Cluster\nmetadata:\n  name: "
                + YamlText.scalar(name) + "\nspec:\n";
    }

    private static String kubernetes(String version) {
        return "  kubernetes:\n    version: " + version + "\n    autoRenewCerts: true\n    containerManager: "
                + ClusterDefaults.containerManagerFor(version) + "\n";
    }
}
