package io.kk.config;

import io.kk.catalog.Versions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Kubernetes part of a Cluster. Free maps (kubeletConfiguration, kubeProxyConfiguration) hold
 * plain maps, lists, strings, longs, doubles and booleans.
 *
 * @param type kubernetes, k3s or k8e (from a {@code -k3s} version suffix)
 * @param version vX.Y.Z without the distribution suffix
 * @param nodeCidrMaskSizeIPv6 null when not set
 */
public record KubernetesConfig(
        String type,
        String version,
        String clusterName,
        String dnsDomain,
        boolean disableKubeProxy,
        boolean masqueradeAll,
        int maxPods,
        int podPidsLimit,
        int nodeCidrMaskSize,
        Integer nodeCidrMaskSizeIPv6,
        List<String> apiserverCertExtraSans,
        String proxyMode,
        boolean autoRenewCerts,
        boolean nodelocaldns,
        String containerManager,
        String containerRuntimeEndpoint,
        boolean nodeFeatureDiscovery,
        boolean kata,
        boolean audit,
        boolean nvidiaRuntime,
        List<String> apiserverArgs,
        List<String> controllerManagerArgs,
        List<String> schedulerArgs,
        List<String> kubeletArgs,
        List<String> kubeProxyArgs,
        Map<String, Boolean> featureGates,
        Map<String, Object> kubeletConfiguration,
        Map<String, Object> kubeProxyConfiguration) {

    public KubernetesConfig {
        apiserverCertExtraSans = List.copyOf(apiserverCertExtraSans);
        apiserverArgs = List.copyOf(apiserverArgs);
        controllerManagerArgs = List.copyOf(controllerManagerArgs);
        schedulerArgs = List.copyOf(schedulerArgs);
        kubeletArgs = List.copyOf(kubeletArgs);
        kubeProxyArgs = List.copyOf(kubeProxyArgs);
        featureGates = Map.copyOf(new LinkedHashMap<>(featureGates));
        kubeletConfiguration = kubeletConfiguration == null ? Map.of() : kubeletConfiguration;
        kubeProxyConfiguration = kubeProxyConfiguration == null ? Map.of() : kubeProxyConfiguration;
    }

    /** The same settings at another Kubernetes version (what an upgrade re-renders files for). */
    public KubernetesConfig withVersion(String v) {
        return new KubernetesConfig(
                type,
                v,
                clusterName,
                dnsDomain,
                disableKubeProxy,
                masqueradeAll,
                maxPods,
                podPidsLimit,
                nodeCidrMaskSize,
                nodeCidrMaskSizeIPv6,
                apiserverCertExtraSans,
                proxyMode,
                autoRenewCerts,
                nodelocaldns,
                containerManager,
                containerRuntimeEndpoint,
                nodeFeatureDiscovery,
                kata,
                audit,
                nvidiaRuntime,
                apiserverArgs,
                controllerManagerArgs,
                schedulerArgs,
                kubeletArgs,
                kubeProxyArgs,
                featureGates,
                kubeletConfiguration,
                kubeProxyConfiguration);
    }

    /**
     * The feature gates kubeadm gets: KubeKey's defaults (RotateKubeletServerCertificate,
     * TTLAfterFinished, ExpandCSIVolumes, CSIStorageCapacity; the last only from 1.21) with the
     * user's gates on top.
     */
    public Map<String, Boolean> effectiveFeatureGates() {
        Map<String, Boolean> gates = new LinkedHashMap<>();
        gates.put("RotateKubeletServerCertificate", true);
        gates.put("TTLAfterFinished", true);
        gates.put("ExpandCSIVolumes", true);
        if (Versions.atLeast(version, 1, 21)) {
            gates.put("CSIStorageCapacity", true);
        }
        gates.putAll(featureGates);
        return gates;
    }

    /** Cluster DNS address as KubeKey computes it: nodelocaldns's link-local one when enabled. */
    public boolean isAtLeast(int major, int minor) {
        return Versions.atLeast(version, major, minor);
    }
}
