package io.kk.cluster.etcd;

import io.kk.plan.Role;
import io.kk.plan.Target;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the etcd phase needs, taken from the Cluster config by the caller.
 *
 * @param hosts every host in config order (etcd members and control planes are picked by role)
 * @param type kubekey (kk runs etcd), external (certificates placed for the apiserver) or kubeadm
 *     (nothing here: kubeadm runs it as a static pod)
 * @param version the etcd release, e.g. v3.5.13
 * @param tarball the release tarball on the control machine (KubeKey's artifact path); may not
 *     exist yet for a dry run
 * @param pki the certificates (type kubekey), else null
 * @param external the external cluster's CA, client cert and key files (type external), else null
 */
public record EtcdRequest(
        List<Target> hosts,
        Type type,
        String version,
        Path tarball,
        EtcdFiles.EtcdSettings settings,
        EtcdPki pki,
        ExternalFiles external) {

    public enum Type {
        KUBEKEY,
        EXTERNAL,
        KUBEADM
    }

    /** The files of an etcd cluster kk does not manage, placed on control planes under their own names. */
    public record ExternalFiles(Path caFile, Path certFile, Path keyFile) {}

    public EtcdRequest {
        hosts = List.copyOf(hosts);
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(settings, "settings");
    }

    public List<Target> etcdHosts() {
        return hosts.stream().filter(h -> h.has(Role.ETCD)).toList();
    }

    /** Members by host name -> internal address, in config order. */
    public Map<String, String> members() {
        Map<String, String> m = new LinkedHashMap<>();
        for (Target t : etcdHosts()) {
            m.put(t.name(), t.internalAddress());
        }
        return m;
    }

    /** The certificates' view of the hosts that get etcd certificates. */
    public static List<EtcdCertificates.CertHost> certHosts(List<Target> hosts) {
        return hosts.stream()
                .filter(h -> h.has(Role.ETCD) || h.has(Role.CONTROL_PLANE))
                .map(h -> new EtcdCertificates.CertHost(
                        h.name(), h.internalAddress(), h.has(Role.ETCD), h.has(Role.CONTROL_PLANE)))
                .toList();
    }
}
