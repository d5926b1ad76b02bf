package io.kk.cluster.runtime;

import io.kk.cluster.runtime.RuntimeSettings.RegistryAccess;
import io.kk.config.ClusterDefaults;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * containerd's files as KubeKey installs them: {@code /etc/containerd/config.toml} (CRI plugin,
 * systemd cgroups, sandbox image, registry mirrors and per-registry auth/TLS),
 * {@code /etc/systemd/system/containerd.service} and {@code /etc/crictl.yaml}.
 */
public final class ContainerdFiles {
    public static final String CONFIG_PATH = "/etc/containerd/config.toml";
    public static final String UNIT_PATH = "/etc/systemd/system/containerd.service";
    public static final String CRICTL_PATH = "/etc/crictl.yaml";
    public static final String SOCKET = ClusterDefaults.CONTAINERD_ENDPOINT;

    private ContainerdFiles() {}

    /** The config holds registry passwords: upload it 0600 and never log it. */
    public static String config(RuntimeSettings s) {
        String cri = "plugins.\"io.containerd.grpc.v1.cri\"";
        StringBuilder b = new StringBuilder();
        b.append("version = 2\n");
        b.append("root = ")
                .append(q(s.dataRoot().isEmpty() ? "/var/lib/containerd" : s.dataRoot()))
                .append('\n');
        b.append("state = \"/run/containerd\"\n\n");
        b.append(
                """
                [grpc]
                  address = "/run/containerd/containerd.sock"
                  uid = 0
                  gid = 0
                  max_recv_message_size = 16777216
                  max_send_message_size = 16777216

                [ttrpc]
                  address = ""
                  uid = 0
                  gid = 0

                [debug]
                  address = ""
                  uid = 0
                  gid = 0
                  level = ""

                [metrics]
                  address = ""
                  grpc_histogram = false

                [cgroup]
                  path = ""

                [timeouts]
                  "io.containerd.timeout.shim.cleanup" = "5s"
                  "io.containerd.timeout.shim.load" = "5s"
                  "io.containerd.timeout.shim.shutdown" = "3s"
                  "io.containerd.timeout.task.state" = "2s"

                [plugins]
                """);
        b.append("  [").append(cri).append("]\n");
        b.append("    sandbox_image = ").append(q(s.sandboxImage())).append('\n');
        b.append("    [").append(cri).append(".containerd]\n");
        b.append("      snapshotter = ").append(q(s.snapshotter())).append('\n');
        b.append("      [").append(cri).append(".containerd.runtimes.runc]\n");
        b.append("        runtime_type = \"io.containerd.runc.v2\"\n");
        b.append("        [").append(cri).append(".containerd.runtimes.runc.options]\n");
        b.append("          SystemdCgroup = true\n");
        b.append("    [").append(cri).append(".cni]\n");
        b.append("      bin_dir = \"/opt/cni/bin\"\n");
        b.append("      conf_dir = \"/etc/cni/net.d\"\n");
        b.append("      max_conf_num = 1\n");
        b.append("      conf_template = \"\"\n");
        b.append("    [").append(cri).append(".registry]\n");
        b.append("      [").append(cri).append(".registry.mirrors]\n");
        List<String> dockerHub = new ArrayList<>(s.registryMirrors());
        dockerHub.add("https://registry-1.docker.io");
        b.append("        [").append(cri).append(".registry.mirrors.\"docker.io\"]\n");
        b.append("          endpoint = [")
                .append(dockerHub.stream().map(ContainerdFiles::q).collect(Collectors.joining(", ")))
                .append("]\n");
        List<String> plain = new ArrayList<>(s.insecureRegistries());
        for (RegistryAccess r : s.registries()) {
            if (r.plainHttp() && !plain.contains(r.host())) {
                plain.add(r.host());
            }
        }
        for (String host : plain) {
            b.append("        [")
                    .append(cri)
                    .append(".registry.mirrors.")
                    .append(q(host))
                    .append("]\n");
            b.append("          endpoint = [").append(q("http://" + host)).append("]\n");
        }
        if (!s.registries().isEmpty()) {
            b.append("      [").append(cri).append(".registry.configs]\n");
            for (RegistryAccess r : s.registries()) {
                String base = cri + ".registry.configs." + q(r.host());
                if (!r.username().isEmpty()) {
                    b.append("        [").append(base).append(".auth]\n");
                    b.append("          username = ").append(q(r.username())).append('\n');
                    b.append("          password = ").append(q(r.password())).append('\n');
                }
                b.append("        [").append(base).append(".tls]\n");
                b.append("          ca_file = ").append(q(r.caFile())).append('\n');
                b.append("          cert_file = ").append(q(r.certFile())).append('\n');
                b.append("          key_file = ").append(q(r.keyFile())).append('\n');
                b.append("          insecure_skip_verify = ")
                        .append(r.skipTlsVerify() || r.plainHttp())
                        .append('\n');
            }
        }
        return b.toString();
    }

    public static String unit() {
        return """
                [Unit]
                Description=containerd container runtime
                Documentation=https://containerd.io
                After=network.target local-fs.target

                [Service]
                ExecStartPre=-/sbin/modprobe overlay
                ExecStart=/usr/bin/containerd

                Type=notify
                Delegate=yes
                KillMode=process
                Restart=always
                RestartSec=5
                # Having non-zero Limit*s causes performance problems due to accounting overhead
                # in the kernel. We recommend using cgroups to do container-local accounting.
                LimitNPROC=infinity
                LimitCORE=infinity
                LimitNOFILE=1048576
                TasksMax=infinity
                OOMScoreAdjust=-999

                [Install]
                WantedBy=multi-user.target
                """;
    }

    public static String crictl(String endpoint) {
        return """
                runtime-endpoint: %1$s
                image-endpoint: %1$s
                timeout: 5
                debug: false
                pull-image-on-create: false
                """
                .formatted(endpoint);
    }

    /** A TOML basic string. */
    static String q(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}
