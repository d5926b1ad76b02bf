package io.kk.cluster.certs;

/**
 * The certificate auto-renew KubeKey installs on control-plane nodes ({@code autoRenewCerts}):
 * {@code /usr/local/bin/kube-scripts/k8s-certs-renew.sh} run by {@code k8s-certs-renew.timer}.
 *
 * <p>KubeKey's script greps dates out of {@code kubeadm certs check-expiration}, whose format
 * changes between versions; kk's reads each certificate's end date with openssl instead, and
 * returns success when there is no control plane yet (the timer must not fail on a fresh node).
 */
public final class CertsRenewFiles {
    public static final String SCRIPT_PATH = "/usr/local/bin/kube-scripts/k8s-certs-renew.sh";
    public static final String UNIT_PATH = "/etc/systemd/system/k8s-certs-renew.service";
    public static final String TIMER_PATH = "/etc/systemd/system/k8s-certs-renew.timer";
    /** Renew when a certificate has fewer days left than this (KubeKey's rule). */
    public static final int THRESHOLD_DAYS = 30;

    private CertsRenewFiles() {}

    /**
     * The script. After {@code kubeadm certs renew all} it restarts the control-plane static pods
     * the way {@code kk certs renew} does, with the same generated snippet ({@link
     * CertsRenewal#restartStaticPods}): manifests moved out of {@code /etc/kubernetes/manifests}
     * until the pods' processes are gone, then back, then kube-apiserver waited for. KubeKey's
     * script removes the pods with docker or crictl instead; moving manifests needs neither, so
     * one script serves both runtimes.
     *
     * <p>{@code KK_KUBEADM}, {@code KK_PKI_DIR} and {@code KK_KUBE_DIR} ({@code /etc/kubernetes})
     * and {@code KK_ROOT_KUBE_DIR} ({@code /root/.kube}) point it elsewhere for tests.
     *
     * @param alphaCerts true below kubeadm 1.20, where the command is {@code kubeadm alpha certs}
     */
    public static String script(boolean alphaCerts) {
        String certs = alphaCerts ? "alpha certs" : "certs";
        String restart = CertsRenewal.restartStaticPods(
                CertsRenewal.CONTROL_PLANE_PODS, "\"$KUBE_DIR/manifests\"", "\"$KUBE_DIR/manifests-kk-restart\"");
        return """
                #!/bin/bash
                # k8s-certs-renew, written by kk: renews the certificates kubeadm manages when one of
                # them has fewer than %3$d days left, then restarts the control plane pods.
                set -o pipefail
                KUBEADM="${KK_KUBEADM:-/usr/local/bin/kubeadm}"
                KUBE_DIR="${KK_KUBE_DIR:-/etc/kubernetes}"
                PKI="${KK_PKI_DIR:-$KUBE_DIR/pki}"
                ROOT_KUBE_DIR="${KK_ROOT_KUBE_DIR:-/root/.kube}"
                THRESHOLD_DAYS=%3$d

                if [ ! -x "$KUBEADM" ] || [ ! -f "$PKI/apiserver.crt" ]; then
                  echo "no Kubernetes control plane on this node yet ($KUBEADM, $PKI/apiserver.crt): nothing to renew"
                  exit 0
                fi

                earliest=""
                earliest_file=""
                while IFS= read -r crt; do
                  end=$(openssl x509 -enddate -noout -in "$crt" | cut -d= -f2) || continue
                  secs=$(date -d "$end" +%%s) || continue
                  if [ -z "$earliest" ] || [ "$secs" -lt "$earliest" ]; then
                    earliest=$secs
                    earliest_file=$crt
                  fi
                done < <(find "$PKI" -name '*.crt' ! -name 'ca.crt' ! -name 'front-proxy-ca.crt')

                days=$(( (earliest - $(date +%%s)) / 86400 ))
                echo "## earliest certificate: $earliest_file, $days days left ##"
                if [ "$days" -ge "$THRESHOLD_DAYS" ]; then
                  echo "## nothing to renew ##"
                  exit 0
                fi

                echo "## Renewing certificates managed by kubeadm ##"
                "$KUBEADM" %1$s renew all || exit 1
                echo "## Updating $ROOT_KUBE_DIR/config ##"
                mkdir -p "$ROOT_KUBE_DIR" && cp -f "$KUBE_DIR/admin.conf" "$ROOT_KUBE_DIR/config"
                echo "## Restarting the control plane pods (manifests moved out and back), waiting for kube-apiserver ##"
                ( %2$s ) || exit 1
                "$KUBEADM" %1$s check-expiration
                """
                .formatted(certs, restart, THRESHOLD_DAYS);
    }

    public static String unit() {
        return """
                [Unit]
                Description=Renew K8S control plane certificates
                [Service]
                Type=oneshot
                ExecStart=/usr/local/bin/kube-scripts/k8s-certs-renew.sh
                """;
    }

    /** Weekly, as KubeKey 3.0 does: with a 30-day threshold a missed week still leaves margin. */
    public static String timer() {
        return """
                [Unit]
                Description=Timer to renew K8S control plane certificates
                [Timer]
                OnCalendar=Mon *-*-* 03:00:00
                Persistent=true
                Unit=k8s-certs-renew.service
                [Install]
                WantedBy=multi-user.target
                """;
    }
}
