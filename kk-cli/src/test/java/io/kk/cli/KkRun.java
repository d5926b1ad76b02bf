package io.kk.cli;

import io.kk.testkit.testbed.Testbed;
import io.kk.testkit.testbed.TestbedNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** One in-process run of kk through {@link Main#run}, as the CLI's integration tests drive it. */
record KkRun(int exit, String out, String err) {

    static KkRun of(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                args);
        return new KkRun(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** The {@code spec.hosts} entries of a Cluster config for the testbed's nodes (root, the run's key). */
    static String hostsYaml(Testbed testbed) {
        StringBuilder hosts = new StringBuilder();
        for (TestbedNode n : testbed.nodes()) {
            hosts.append("  - {name: ")
                    .append(n.hostname())
                    .append(", address: ")
                    .append(n.address())
                    .append(", user: root, privateKeyPath: ")
                    .append(testbed.privateKey())
                    .append("}\n");
        }
        return hosts.toString();
    }
}
