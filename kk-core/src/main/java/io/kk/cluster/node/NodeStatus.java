package io.kk.cluster.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kk.error.KkException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One node as {@code kubectl get nodes -o json} reports it: what upgrade preflight and resume need.
 *
 * @param kubeletVersion e.g. {@code v1.28.2}: the version a node is "at" for upgrade
 * @param criSocket the {@code kubeadm.alpha.kubernetes.io/cri-socket} annotation ("" when absent)
 * @param containerRuntime e.g. {@code containerd://1.7.13} or {@code docker://20.10.24}
 */
public record NodeStatus(
        String name,
        boolean ready,
        boolean unschedulable,
        String kubeletVersion,
        String containerRuntime,
        String criSocket) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Parses the output of {@link Kubectl#getNodesJson()}. */
    public static List<NodeStatus> parseList(String json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (IOException e) {
            throw KkException.failed(
                    "cannot read the node list kubectl printed: " + e.getMessage(),
                    "run '" + Kubectl.getNodesJson() + "' on the first control plane and check its output");
        }
        if (root == null || !root.path("items").isArray()) {
            throw KkException.failed(
                    "kubectl printed no node list (no items)",
                    "run '" + Kubectl.getNodesJson() + "' on the first control plane and check its output");
        }
        List<NodeStatus> out = new ArrayList<>();
        for (JsonNode item : root.get("items")) {
            boolean ready = false;
            for (JsonNode c : item.path("status").path("conditions")) {
                if ("Ready".equals(c.path("type").asText())) {
                    ready = "True".equals(c.path("status").asText());
                }
            }
            JsonNode info = item.path("status").path("nodeInfo");
            out.add(new NodeStatus(
                    item.path("metadata").path("name").asText(),
                    ready,
                    item.path("spec").path("unschedulable").asBoolean(false),
                    info.path("kubeletVersion").asText(""),
                    info.path("containerRuntimeVersion").asText(""),
                    item.path("metadata")
                            .path("annotations")
                            .path(Kubectl.CRI_SOCKET_ANNOTATION)
                            .asText("")));
        }
        return List.copyOf(out);
    }

    public static Optional<NodeStatus> find(List<NodeStatus> nodes, String name) {
        return nodes.stream().filter(n -> n.name().equals(name)).findFirst();
    }
}
