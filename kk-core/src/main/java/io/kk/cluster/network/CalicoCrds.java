package io.kk.cluster.network;

import java.util.List;

/**
 * Calico's resource definitions ({@code crd.projectcalico.org/v1}), one per kind calico 3.26 reads
 * or writes. Their schemas keep every field ({@code x-kubernetes-preserve-unknown-fields}): calico
 * validates its resources itself, and a schema that prunes nothing stays right across calico
 * releases, where upstream's 5000-line schemas would have to be carried for each.
 */
final class CalicoCrds {
    private CalicoCrds() {}

    record Kind(String kind, String plural, boolean namespaced) {}

    static final List<Kind> KINDS = List.of(
            new Kind("BGPConfiguration", "bgpconfigurations", false),
            new Kind("BGPFilter", "bgpfilters", false),
            new Kind("BGPPeer", "bgppeers", false),
            new Kind("BlockAffinity", "blockaffinities", false),
            new Kind("CalicoNodeStatus", "caliconodestatuses", false),
            new Kind("ClusterInformation", "clusterinformations", false),
            new Kind("FelixConfiguration", "felixconfigurations", false),
            new Kind("GlobalNetworkPolicy", "globalnetworkpolicies", false),
            new Kind("GlobalNetworkSet", "globalnetworksets", false),
            new Kind("HostEndpoint", "hostendpoints", false),
            new Kind("IPAMBlock", "ipamblocks", false),
            new Kind("IPAMConfig", "ipamconfigs", false),
            new Kind("IPAMHandle", "ipamhandles", false),
            new Kind("IPPool", "ippools", false),
            new Kind("IPReservation", "ipreservations", false),
            new Kind("KubeControllersConfiguration", "kubecontrollersconfigurations", false),
            new Kind("NetworkPolicy", "networkpolicies", true),
            new Kind("NetworkSet", "networksets", true));

    /** The definitions as YAML documents, each introduced by {@code ---}, no trailing newline. */
    static String yaml() {
        StringBuilder b = new StringBuilder();
        for (Kind k : KINDS) {
            if (!b.isEmpty()) {
                b.append('\n');
            }
            b.append("---\n")
                    .append("apiVersion: apiextensions.k8s.io/v1\n")
                    .append("kind: CustomResourceDefinition\n")
                    .append("metadata:\n")
                    .append("  name: ")
                    .append(k.plural())
                    .append(".crd.projectcalico.org\n")
                    .append("spec:\n")
                    .append("  group: crd.projectcalico.org\n")
                    .append("  names:\n")
                    .append("    kind: ")
                    .append(k.kind())
                    .append('\n')
                    .append("    listKind: ")
                    .append(k.kind())
                    .append("List\n")
                    .append("    plural: ")
                    .append(k.plural())
                    .append('\n')
                    .append("    singular: ")
                    .append(k.kind().toLowerCase(java.util.Locale.ROOT))
                    .append('\n')
                    .append("  scope: ")
                    .append(k.namespaced() ? "Namespaced" : "Cluster")
                    .append('\n')
                    .append("  versions:\n")
                    .append("    - name: v1\n")
                    .append("      served: true\n")
                    .append("      storage: true\n")
                    .append("      schema:\n")
                    .append("        openAPIV3Schema:\n")
                    .append("          type: object\n")
                    .append("          properties:\n")
                    .append("            apiVersion:\n")
                    .append("              type: string\n")
                    .append("            kind:\n")
                    .append("              type: string\n")
                    .append("            metadata:\n")
                    .append("              type: object\n")
                    .append("            spec:\n")
                    .append("              type: object\n")
                    .append("              x-kubernetes-preserve-unknown-fields: true\n")
                    .append("            status:\n")
                    .append("              type: object\n")
                    .append("              x-kubernetes-preserve-unknown-fields: true");
        }
        return b.toString();
    }
}
