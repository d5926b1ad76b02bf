package io.kk.config;

import java.util.List;

/** CoreDNS and nodelocaldns customisation. */
public record DnsConfig(
        String dnsEtcHosts, String nodeEtcHosts, CoreDns coredns, List<ExternalZone> nodelocaldnsZones) {
    public DnsConfig {
        nodelocaldnsZones = List.copyOf(nodelocaldnsZones);
    }

    public record CoreDns(
            String additionalConfigs,
            List<ExternalZone> externalZones,
            String rewriteBlock,
            List<String> upstreamDNSServers) {
        public CoreDns {
            externalZones = List.copyOf(externalZones);
            upstreamDNSServers = List.copyOf(upstreamDNSServers);
        }
    }

    public record ExternalZone(List<String> zones, List<String> nameservers, int cache, List<String> rewrite) {
        public ExternalZone {
            zones = List.copyOf(zones);
            nameservers = List.copyOf(nameservers);
            rewrite = List.copyOf(rewrite);
        }
    }
}
