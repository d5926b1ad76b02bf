package io.kk.cluster.node;

import io.kk.event.EventSink;
import io.kk.plan.FakeHost;
import io.kk.plan.Inventory;
import io.kk.plan.Pipeline;
import io.kk.plan.PlanReport;
import io.kk.plan.PlanRunner;
import io.kk.plan.RunOptions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Fake hosts for plan tests that records every command of every host in ONE list, in the order
 * they ran, as {@code host: script}, so tests can assert the order across hosts.
 */
public final class Hosts {
    public final Map<String, FakeHost> hosts = new LinkedHashMap<>();
    private final List<String> log = Collections.synchronizedList(new ArrayList<>());

    public Hosts(Inventory inv) {
        inv.hosts().forEach(t -> hosts.put(t.name(), new FakeHost(t.name())));
    }

    public FakeHost host(String name) {
        return hosts.get(name);
    }

    public PlanReport run(Pipeline p, Inventory inv) {
        PlanRunner runner = new PlanRunner(
                FakeHost.recording(hosts, log),
                RunOptions.defaults().withRetries(0, java.time.Duration.ZERO),
                EventSink.NONE,
                Clock.systemUTC(),
                d -> {});
        return runner.run(p, inv);
    }

    public List<String> log() {
        synchronized (log) {
            return List.copyOf(log);
        }
    }

    /** The log lines matching any of the regexes (find, not whole match), in order. */
    public List<String> matching(String... regexes) {
        List<Pattern> ps =
                java.util.Arrays.stream(regexes).map(Pattern::compile).toList();
        return log().stream()
                .filter(l -> ps.stream().anyMatch(p -> p.matcher(l).find()))
                .toList();
    }

    public void clear() {
        log.clear();
    }

    /** {@code kubectl get nodes -o json} for nodes given as name -> "version Ready|NotReady". */
    public static String nodesJson(Map<String, String> nodes) {
        StringBuilder sb = new StringBuilder("{\"apiVersion\":\"v1\",\"kind\":\"List\",\"items\":[");
        boolean first = true;
        for (var e : nodes.entrySet()) {
            String[] v = e.getValue().split(" ");
            sb.append(first ? "" : ",")
                    .append("{\"metadata\":{\"name\":\"")
                    .append(e.getKey())
                    .append("\",\"annotations\":{\"kubeadm.alpha.kubernetes.io/cri-socket\":"
                            + "\"unix:///run/containerd/containerd.sock\"}},\"spec\":{},\"status\":{\"conditions\":["
                            + "{\"type\":\"MemoryPressure\",\"status\":\"False\"},{\"type\":\"Ready\",\"status\":\"")
                    .append(v[1].equals("Ready") ? "True" : "False")
                    .append("\"}],\"nodeInfo\":{\"kubeletVersion\":\"")
                    .append(v[0])
                    .append("\",\"containerRuntimeVersion\":\"containerd://1.7.13\"}}}");
            first = false;
        }
        return sb.append("]}").toString();
    }
}
