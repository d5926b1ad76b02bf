package io.kk.cluster.registry;

import io.kk.cluster.install.FileInstall;
import io.kk.plan.Inventory;
import java.util.Objects;

/**
 * What the registry phase installs, resolved from config, artifact and work dir beforehand so the
 * plan itself is pure.
 *
 * @param inventory every host (the CA goes to all of them)
 * @param registryHost the name of the host with the {@code registry} role
 * @param registryName the name nodes use, e.g. dockerhub.kubekey.local (host part of privateRegistry)
 * @param registryAddress the registry host's internal address (mapped to the name in /etc/hosts)
 * @param settings data dir, port, certificate name, htpasswd on/off
 * @param certificates the CA and server certificate made by kk
 * @param htpasswd credentials for basic auth, or null when the registry is open
 * @param binary the registry binary inside its release tarball
 * @param containerManager containerd or docker: decides where nodes keep the CA
 * @param harborConfig harbor.yml when {@code registry.type} is harbor, else null
 */
public record RegistryRequest(
        Inventory inventory,
        String registryHost,
        String registryName,
        String registryAddress,
        RegistryFiles.Settings settings,
        RegistryCertificates.Material certificates,
        Credentials htpasswd,
        FileInstall.Plan binary,
        String containerManager,
        String harborConfig) {

    public RegistryRequest {
        Objects.requireNonNull(registryHost, "registryHost");
        Objects.requireNonNull(registryName, "registryName");
        Objects.requireNonNull(certificates, "certificates");
    }

    /** A user and password; {@link #toString()} hides the password. */
    public record Credentials(String username, String password) {
        @Override
        public String toString() {
            return "Credentials[" + username + ", <redacted>]";
        }
    }

    /** Where a node keeps the registry's CA for its container runtime. */
    public String nodeCaPath() {
        String base = "docker".equals(containerManager) ? "/etc/docker/certs.d/" : "/etc/containerd/certs.d/";
        String host = settings.port() == 443 ? registryName : registryName + ":" + settings.port();
        return base + host + "/ca.crt";
    }
}
