package io.kk.cluster.kubernetes;

import io.kk.error.ErrorKind;
import io.kk.error.KkException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The commands kk runs (as root) to bring up Kubernetes with kubeadm, as data: the plan shows them
 * in a dry run and runs them on the hosts. KubeKey's command lines, binaries in /usr/local/bin.
 */
public final class KubeadmCommands {
    public static final String KUBEADM = "/usr/local/bin/kubeadm";
    public static final String KUBECTL = "/usr/local/bin/kubectl";
    public static final String ADMIN_CONF = "/etc/kubernetes/admin.conf";

    /**
     * crictl may be missing from PATH, and images come from kk's registry or the artifact: a failed
     * preflight pull is not fatal (the kubelet pulls again), as in KubeKey.
     */
    static final String IGNORE_PREFLIGHT = "--ignore-preflight-errors=FileExisting-crictl,ImagePull";

    private static final Pattern CERT_KEY = Pattern.compile("(?m)^\\s*([a-f0-9]{64})\\s*$");
    private static final Pattern TOKEN = Pattern.compile("(?m)^\\s*([a-z0-9]{6}\\.[a-z0-9]{16})\\s*$");

    private KubeadmCommands() {}

    /** True when this host already runs a cluster: guards init and join (idempotence). */
    public static String clusterExists() {
        return "test -f " + ADMIN_CONF;
    }

    /** Whether {@code node} is already registered (run on a control plane; exit 0 = joined). */
    public static String nodeRegistered(String node) {
        return KUBECTL + " get node " + node + " -o name";
    }

    /** {@code kubeadm init} on the first control plane, reading {@link KubeadmConfigs#PATH}. */
    public static String init(KubeadmSettings s, boolean uploadCerts) {
        StringBuilder b = new StringBuilder(KUBEADM + " init --config=" + KubeadmConfigs.PATH + " " + IGNORE_PREFLIGHT);
        if (uploadCerts) {
            b.append(" --upload-certs");
        }
        if (!s.kubeProxy()) {
            b.append(" --skip-phases=addon/kube-proxy");
        }
        return b.toString();
    }

    /** Undoes a failed init or join before the retry. */
    public static String reset(KubeadmSettings s) {
        String socket = s.criSocket();
        return KUBEADM + " reset -f" + (socket.isEmpty() ? "" : " --cri-socket " + socket);
    }

    /** Prints a fresh bootstrap token (valid 24 h) on its last line. */
    public static String tokenCreate() {
        return KUBEADM + " token create";
    }

    /** Re-uploads the control-plane certificates; prints the certificate key (valid 2 h) last. */
    public static String uploadCerts() {
        return KUBEADM + " init phase upload-certs --upload-certs";
    }

    /** Prints the cluster CA's public-key hash as kubeadm wants it after {@code sha256:}. */
    public static String caCertHash() {
        return "openssl x509 -pubkey -in /etc/kubernetes/pki/ca.crt | openssl rsa -pubin -outform der 2>/dev/null"
                + " | openssl sha256 -hex | sed 's/^.* //'";
    }

    /** {@code kubeadm join} on a node, reading the join file at {@link KubeadmConfigs#PATH}. */
    public static String join() {
        return KUBEADM + " join --config=" + KubeadmConfigs.PATH + " " + IGNORE_PREFLIGHT;
    }

    /** root's kubeconfig on a control plane (kk fetches it from there to the control machine). */
    public static String copyKubeconfig() {
        return "mkdir -p /root/.kube && cp -f " + ADMIN_CONF + " /root/.kube/config";
    }

    /**
     * Lets pods run on a control plane that is also a worker. kubeadm taints control planes with
     * {@code node-role.kubernetes.io/master} up to 1.23, with both keys in 1.24, and with {@code
     * node-role.kubernetes.io/control-plane} from 1.25 on.
     */
    public static List<String> untaint(KubeVersion v, String node) {
        List<String> out = new ArrayList<>();
        if (v.below(25)) {
            out.add(KUBECTL + " taint nodes " + node + " node-role.kubernetes.io/master=:NoSchedule-");
        }
        if (v.atLeast(24)) {
            out.add(KUBECTL + " taint nodes " + node + " node-role.kubernetes.io/control-plane=:NoSchedule-");
        }
        return out;
    }

    /** The worker role label KubeKey puts on worker nodes. */
    public static String labelWorker(String node) {
        return KUBECTL + " label --overwrite node " + node + " node-role.kubernetes.io/worker=";
    }

    /** Enables kubelet (kubeadm starts it) and links it where tools look for it. */
    public static String enableKubelet() {
        return "systemctl daemon-reload && systemctl enable kubelet && ln -snf /usr/local/bin/kubelet /usr/bin/kubelet";
    }

    /** The certificate key in the output of {@link #uploadCerts()}. */
    public static String parseCertificateKey(String output) {
        return lastMatch(CERT_KEY, output, "certificate key", uploadCerts());
    }

    /** The bootstrap token in the output of {@link #tokenCreate()}. */
    public static String parseToken(String output) {
        return lastMatch(TOKEN, output, "bootstrap token", tokenCreate());
    }

    /**
     * The {@code caCertHashes} entry for the cluster CA, computed by kk from {@code ca.crt}: the
     * SHA-256 of its DER SubjectPublicKeyInfo, as kubeadm does.
     */
    public static String caCertHash(X509Certificate ca) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(ca.getPublicKey().getEncoded());
            return "sha256:" + HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JDK", e);
        }
    }

    private static String lastMatch(Pattern p, String output, String what, String command) {
        Matcher m = p.matcher(output == null ? "" : output);
        String found = null;
        while (m.find()) {
            found = m.group(1);
        }
        if (found == null) {
            throw new KkException(
                    ErrorKind.FAILED,
                    "no " + what + " in the output of '" + command + "'",
                    "run it by hand on the first control plane and check that the cluster is healthy");
        }
        return found;
    }
}
