package io.kk.pki;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What a leaf certificate must say.
 *
 * @param commonName subject CN, e.g. "etcd-member-node1"
 * @param organization subject O, may be empty (kubeadm uses it for groups, e.g. system:masters)
 * @param dnsNames subjectAltName DNS entries
 * @param ipAddresses subjectAltName IP entries (v4 or v6 literals)
 * @param server usable as a TLS server certificate
 * @param client usable as a TLS client certificate
 * @param validity how long from now it is valid
 */
public record CertificateRequest(
        String commonName,
        String organization,
        List<String> dnsNames,
        List<String> ipAddresses,
        boolean server,
        boolean client,
        Duration validity) {

    public CertificateRequest {
        Objects.requireNonNull(commonName, "commonName");
        organization = organization == null ? "" : organization;
        dnsNames = List.copyOf(dnsNames);
        ipAddresses = List.copyOf(ipAddresses);
        Objects.requireNonNull(validity, "validity");
        if (!server && !client) {
            throw new IllegalArgumentException("a certificate must be usable as server, client or both");
        }
    }

    /** Subject alternative names, shared by several certificates. */
    public record Sans(List<String> dnsNames, List<String> ipAddresses) {
        public Sans {
            dnsNames = List.copyOf(dnsNames);
            ipAddresses = List.copyOf(ipAddresses);
        }
    }
}
