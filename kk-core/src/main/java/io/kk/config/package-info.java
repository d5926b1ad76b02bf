/**
 * KubeKey-compatible Cluster configs and Manifests: immutable records, a position-keeping reader
 * ({@link io.kk.config.yaml.Cursor}), one-pass validation that reports every problem with file,
 * line, YAML path and hint, and a writer in KubeKey's layout.
 *
 * <p>Decisions where kk differs from, or had to choose within, KubeKey v3:
 *
 * <ul>
 *   <li>{@code kubernetes.autoRenewCerts} defaults to true (KubeKey: false in files, true for
 *       all-in-one); issue 6 asks for the renewal timer by default.
 *   <li>{@code containerManager: docker} with Kubernetes v1.24 or later is an error, as in KubeKey
 *       v3.0 (v3.1 installs cri-dockerd; kk does not ship cri-dockerd). When containerManager is
 *       not set, it is containerd from v1.24 and docker below, like KubeKey's {@code create config}.
 *   <li>{@code controlPlaneEndpoint.address} is kept as written so a written config loads back
 *       unchanged; {@link io.kk.config.ClusterConfig#endpointAddress()} gives KubeKey's effective
 *       address (the first control plane's internal IPv4 when empty or 127.0.0.1).
 *   <li>{@code privateKeyPath} keeps {@code ~/} as written; {@link io.kk.config.Host#privateKeyFile}
 *       expands it where the key is read.
 *   <li>Unknown fields and unknown roles are warnings (KubeKey ignores them silently).
 *   <li>{@code network.kubeovn} and {@code network.hybridnet} are free maps handed to those
 *       plugins' manifests as written; KubeKey's kube-ovn defaults are applied by the CNI step.
 *   <li>The Kubernetes versions the catalog knows are passed in as {@link
 *       io.kk.config.KnownVersions}, so this package does not depend on the catalog.
 * </ul>
 */
package io.kk.config;
