package io.kk.cluster.kubernetes;

/**
 * The files the API server reads when {@code kubernetes.auditing} is on (see the audit flags in
 * {@link KubeadmConfigs}): the audit policy and the webhook kubeconfig, in {@value #DIR} on every
 * control plane before {@code kubeadm init}/join. As in KubeKey, events go to a webhook (KubeSphere's
 * kube-auditing); the API server only logs delivery errors while nothing listens there.
 */
public final class AuditFiles {
    public static final String DIR = KubeadmConfigs.AUDIT_DIR;
    public static final String POLICY_PATH = DIR + "/audit-policy.yaml";
    public static final String WEBHOOK_PATH = DIR + "/audit-webhook.yaml";

    /** KubeKey's placeholder, which the KubeSphere installer replaces with kube-auditing's address. */
    public static final String KUBESPHERE_WEBHOOK = "https://SHOULD_BE_REPLACED:6443/audit/webhook/event";

    private AuditFiles() {}

    /**
     * What is recorded: nothing for the noisy, harmless system traffic (kube-proxy watches, node
     * status reads, leader-election endpoints, health URLs, events); metadata only for objects that
     * hold secrets; request bodies for reads of known API groups; request and response for changes.
     */
    public static String policy() {
        return """
                apiVersion: audit.k8s.io/v1
                kind: Policy
                rules:
                  - level: None
                    users: ["system:kube-proxy"]
                    verbs: ["watch"]
                    resources:
                      - group: ""
                        resources: ["endpoints", "services", "services/status"]
                  - level: None
                    userGroups: ["system:nodes"]
                    verbs: ["get"]
                    resources:
                      - group: ""
                        resources: ["nodes", "nodes/status"]
                  - level: None
                    users:
                      - system:kube-controller-manager
                      - system:kube-scheduler
                      - system:serviceaccount:kube-system:endpoint-controller
                    verbs: ["get", "update"]
                    namespaces: ["kube-system"]
                    resources:
                      - group: ""
                        resources: ["endpoints"]
                  - level: None
                    users: ["system:apiserver"]
                    verbs: ["get"]
                    resources:
                      - group: ""
                        resources: ["namespaces", "namespaces/status", "namespaces/finalize"]
                  - level: None
                    users: ["system:kube-controller-manager"]
                    verbs: ["get", "list"]
                    resources:
                      - group: "metrics.k8s.io"
                  - level: None
                    nonResourceURLs: ["/healthz*", "/livez*", "/readyz*", "/version", "/swagger*"]
                  - level: None
                    resources:
                      - group: ""
                        resources: ["events"]
                      - group: "events.k8s.io"
                        resources: ["events"]
                  - level: Metadata
                    resources:
                      - group: ""
                        resources: ["secrets", "configmaps", "serviceaccounts/token"]
                      - group: "authentication.k8s.io"
                        resources: ["tokenreviews"]
                    omitStages: ["RequestReceived"]
                  - level: Request
                    verbs: ["get", "list", "watch"]
                    omitStages: ["RequestReceived"]
                  - level: RequestResponse
                    verbs: ["create", "update", "patch", "delete", "deletecollection"]
                    omitStages: ["RequestReceived"]
                  - level: Metadata
                    omitStages: ["RequestReceived"]
                """;
    }

    /** The webhook kubeconfig pointing at {@code server}. */
    public static String webhook(String server) {
        return """
                apiVersion: v1
                kind: Config
                clusters:
                  - name: kube-auditing
                    cluster:
                      server: %s
                      insecure-skip-tls-verify: true
                contexts:
                  - name: default-context
                    context:
                      cluster: kube-auditing
                      user: ""
                current-context: default-context
                preferences: {}
                users: []
                """
                .formatted(server);
    }
}
