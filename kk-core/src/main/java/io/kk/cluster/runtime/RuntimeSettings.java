package io.kk.cluster.runtime;

import java.util.List;
import java.util.Objects;

/**
 * What the container runtime is told about storage and registries; built from the Cluster config's
 * {@code spec.registry} and {@code spec.kubernetes}, plus facts learnt on the host (snapshotter).
 *
 * @param dataRoot containerd root / docker data-root ("" for the default)
 * @param sandboxImage the pause image, already rewritten to the private registry
 * @param registryMirrors mirrors for docker.io, in order
 * @param insecureRegistries registries reached over plain HTTP
 * @param registries per-registry auth and TLS (the private registry with kk's CA among them)
 * @param snapshotter containerd snapshotter: "overlayfs" normally, "native" when the data dir sits
 *     on an overlay filesystem (overlay on overlay fails)
 * @param bridgeIp docker's bip CIDR as given in the config ("" for docker's default)
 */
public record RuntimeSettings(
        String dataRoot,
        String sandboxImage,
        List<String> registryMirrors,
        List<String> insecureRegistries,
        List<RegistryAccess> registries,
        String snapshotter,
        String bridgeIp) {

    public RuntimeSettings {
        dataRoot = dataRoot == null ? "" : dataRoot;
        Objects.requireNonNull(sandboxImage, "sandboxImage");
        registryMirrors = List.copyOf(registryMirrors);
        insecureRegistries = List.copyOf(insecureRegistries);
        registries = List.copyOf(registries);
        snapshotter = snapshotter == null || snapshotter.isEmpty() ? "overlayfs" : snapshotter;
        bridgeIp = bridgeIp == null ? "" : bridgeIp;
    }

    /**
     * How the runtime reaches one registry. Paths are on the node.
     *
     * @param host registry host[:port], e.g. dockerhub.kubekey.local
     */
    public record RegistryAccess(
            String host,
            String username,
            String password,
            String caFile,
            String certFile,
            String keyFile,
            boolean skipTlsVerify,
            boolean plainHttp) {
        public RegistryAccess {
            Objects.requireNonNull(host, "host");
            username = username == null ? "" : username;
            password = password == null ? "" : password;
            caFile = caFile == null ? "" : caFile;
            certFile = certFile == null ? "" : certFile;
            keyFile = keyFile == null ? "" : keyFile;
        }

        @Override
        public String toString() {
            return "RegistryAccess[" + host + ", user=" + username + ", password="
                    + (password.isEmpty() ? "" : "<redacted>") + "]";
        }
    }
}
