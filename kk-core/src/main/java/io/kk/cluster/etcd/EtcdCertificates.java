package io.kk.cluster.etcd;

import io.kk.pki.CertificateAuthority;
import io.kk.pki.CertificateRequest;
import io.kk.pki.KeyAndCertificate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The etcd certificate set KubeKey makes, with the same file names and subjects so KubeKey's hosts
 * and kk's are interchangeable: {@code ca.pem}; per etcd host {@code admin-NODE.pem} and
 * {@code member-NODE.pem}; per control-plane host {@code node-NODE.pem}; each with its {@code
 * -key.pem}. All leaves share one SAN list (KubeKey's): the etcd service names, the control-plane
 * endpoint domain, every host's name and internal address, and loopback.
 */
public final class EtcdCertificates {
    /** Where KubeKey keeps them on hosts. */
    public static final String REMOTE_DIR = "/etc/ssl/etcd/ssl";

    private EtcdCertificates() {}

    /** A host as the certificates see it. */
    public record CertHost(String name, String internalAddress, boolean etcd, boolean controlPlane) {}

    /** The shared SAN list for every leaf certificate. */
    public static CertificateRequest.Sans sans(List<CertHost> allHosts, String controlPlaneDomain) {
        List<String> dns = new ArrayList<>(List.of(
                "localhost", "etcd.kube-system.svc.cluster.local", "etcd.kube-system.svc", "etcd.kube-system", "etcd"));
        dns.add(
                controlPlaneDomain == null || controlPlaneDomain.isBlank()
                        ? "lb.kubesphere.local"
                        : controlPlaneDomain);
        List<String> ips = new ArrayList<>(List.of("127.0.0.1", "::1"));
        for (CertHost h : allHosts) {
            dns.add(h.name());
            String ip = h.internalAddress().split(",")[0].trim();
            if (!ip.isEmpty()) {
                ips.add(ip);
            }
        }
        return new CertificateRequest.Sans(
                dns.stream().distinct().toList(), ips.stream().distinct().toList());
    }

    /**
     * Issues every leaf certificate for the hosts with the given CA, keyed by file name ({@code
     * admin-node1.pem} -> cert + key). The CA itself is the caller's: a new one, or the one read
     * back from an existing cluster so certificates stay valid across runs.
     */
    public static Map<String, KeyAndCertificate> issue(
            CertificateAuthority ca, List<CertHost> allHosts, String controlPlaneDomain) {
        CertificateRequest.Sans sans = sans(allHosts, controlPlaneDomain);
        Map<String, KeyAndCertificate> out = new LinkedHashMap<>();
        for (CertHost h : allHosts) {
            String shortName = h.name().split("\\.")[0];
            if (h.etcd()) {
                out.put("admin-" + h.name(), ca.issue(leaf("etcd-admin-" + shortName, sans)));
                out.put("member-" + h.name(), ca.issue(leaf("etcd-member-" + shortName, sans)));
            }
            if (h.controlPlane()) {
                out.put("node-" + h.name(), ca.issue(leaf("etcd-node-" + shortName, sans)));
            }
        }
        return out;
    }

    /** The certificate file names a host needs: etcd hosts their admin+member, control planes their node. */
    public static List<String> filesFor(CertHost host) {
        List<String> files = new ArrayList<>(List.of("ca.pem", "ca-key.pem"));
        if (host.etcd()) {
            files.addAll(List.of(
                    "admin-" + host.name() + ".pem",
                    "admin-" + host.name() + "-key.pem",
                    "member-" + host.name() + ".pem",
                    "member-" + host.name() + "-key.pem"));
        }
        if (host.controlPlane()) {
            files.addAll(List.of("node-" + host.name() + ".pem", "node-" + host.name() + "-key.pem"));
        }
        return files;
    }

    private static CertificateRequest leaf(String cn, CertificateRequest.Sans sans) {
        return new CertificateRequest(
                cn, "", sans.dnsNames(), sans.ipAddresses(), true, true, CertificateAuthority.TEN_YEARS);
    }
}
