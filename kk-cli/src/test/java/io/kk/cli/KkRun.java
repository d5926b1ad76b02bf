package io.kk.cli;

import io.kk.testkit.testbed.Testbed;
import io.kk.testkit.testbed.TestbedNode;
import java.util.List;

/** One in-process run of kk through {@link Main#run}: its exit code and what it printed. */
record KkRun(int exit, String out, String err) {

    static KkRun of(String... args) {
        KkCli kk = new KkCli();
        int code = kk.run(args);
        return new KkRun(code, kk.out(), kk.err());
    }

    /** The {@code spec.hosts} entries of a Cluster config for the testbed's nodes (root, the run's key). */
    static String hostsYaml(Testbed testbed) {
        return hostsYaml(testbed, testbed.nodes());
    }

    /** The {@code spec.hosts} entries for {@code nodes} of the testbed (root, the run's key). */
    static String hostsYaml(Testbed testbed, List<TestbedNode> nodes) {
        StringBuilder hosts = new StringBuilder();
        for (TestbedNode n : nodes) {
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
