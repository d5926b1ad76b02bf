package io.kk.cluster.runtime;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * docker's files as KubeKey installs them: {@code /etc/docker/daemon.json} and {@code
 * /etc/systemd/system/docker.service}. Registry CAs go to {@code /etc/docker/certs.d/<host>/ca.crt}.
 */
public final class DockerFiles {
    public static final String DAEMON_JSON_PATH = "/etc/docker/daemon.json";
    public static final String UNIT_PATH = "/etc/systemd/system/docker.service";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private DockerFiles() {}

    public static String certsDir(String registryHost) {
        return "/etc/docker/certs.d/" + registryHost;
    }

    public static String daemonJson(RuntimeSettings s) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode log = root.putObject("log-opts");
        log.put("max-size", "5m");
        log.put("max-file", "3");
        if (!s.dataRoot().isEmpty()) {
            root.put("data-root", s.dataRoot());
        }
        if (!s.registryMirrors().isEmpty()) {
            s.registryMirrors().forEach(root.putArray("registry-mirrors")::add);
        }
        List<String> insecure = new ArrayList<>(s.insecureRegistries());
        s.registries().stream()
                .filter(r -> r.plainHttp() && !insecure.contains(r.host()))
                .forEach(r -> insecure.add(r.host()));
        if (!insecure.isEmpty()) {
            insecure.forEach(root.putArray("insecure-registries")::add);
        }
        String bip = bridgeIp(s.bridgeIp());
        if (!bip.isEmpty()) {
            root.put("bip", bip);
        }
        root.putArray("exec-opts").add("native.cgroupdriver=systemd");
        try {
            return JSON.writeValueAsString(root) + "\n";
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** KubeKey's bip rule: the first address of the given CIDR with its prefix; 172.17.0.1/16 if unusable. */
    static String bridgeIp(String cidr) {
        if (cidr.isEmpty()) {
            return "";
        }
        String fallback = "172.17.0.1/16";
        String[] parts = cidr.split("/");
        if (parts.length != 2) {
            return fallback;
        }
        String[] o = parts[0].split("\\.");
        try {
            int prefix = Integer.parseInt(parts[1]);
            if (o.length != 4 || prefix < 0 || prefix > 30) {
                return fallback;
            }
            long ip = 0;
            for (String x : o) {
                int v = Integer.parseInt(x);
                if (v < 0 || v > 255) {
                    return fallback;
                }
                ip = (ip << 8) | v;
            }
            long mask = prefix == 0 ? 0 : (0xFFFFFFFFL << (32 - prefix)) & 0xFFFFFFFFL;
            long first = (ip & mask) + 1;
            return ((first >> 24) & 255) + "." + ((first >> 16) & 255) + "." + ((first >> 8) & 255) + "."
                    + (first & 255) + "/" + prefix;
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    public static String unit() {
        return """
                [Unit]
                Description=Docker Application Container Engine
                Documentation=https://docs.docker.com

                [Service]
                Type=notify
                ExecStart=/usr/bin/dockerd
                ExecReload=/bin/kill -s HUP $MAINPID
                TimeoutSec=0
                RestartSec=2
                Restart=always
                StartLimitBurst=3
                StartLimitInterval=60s
                LimitNOFILE=infinity
                LimitNPROC=infinity
                LimitCORE=infinity
                TasksMax=infinity
                Delegate=yes
                KillMode=process
                OOMScoreAdjust=-500

                [Install]
                WantedBy=multi-user.target
                """;
    }
}
