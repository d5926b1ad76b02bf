package io.kk.config;

import java.util.List;

/** OS preparation: NTP (chrony), timezone, extra packages, custom scripts. */
public record SystemConfig(
        List<String> ntpServers,
        String timezone,
        List<String> rpms,
        List<String> debs,
        List<CustomScript> preInstall,
        List<CustomScript> postClusterInstall,
        List<CustomScript> postInstall,
        boolean skipConfigureOS) {
    public SystemConfig {
        ntpServers = List.copyOf(ntpServers);
        rpms = List.copyOf(rpms);
        debs = List.copyOf(debs);
        preInstall = List.copyOf(preInstall);
        postClusterInstall = List.copyOf(postClusterInstall);
        postInstall = List.copyOf(postInstall);
    }
}
