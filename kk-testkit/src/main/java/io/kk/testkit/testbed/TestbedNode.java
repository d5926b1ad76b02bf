package io.kk.testkit.testbed;

import java.nio.file.Path;

/**
 * One booted testbed node: a real systemd + OpenSSH host in its own namespaces, reachable from
 * the test JVM at {@code address:port}.
 *
 * @param name the testbed's name for the node (unique on the machine, used by the script)
 * @param hostname the node's hostname (node1, node2, ...)
 * @param address IPv4 address on the run's bridge
 * @param port sshd port (22)
 * @param user login user with the key and the password (root)
 * @param privateKey OpenSSH private key (ed25519, no passphrase) accepted for {@code user}
 * @param password password of {@code user} (and of {@link Testbed#SUDO_USER})
 * @param pid1 host PID of the node's systemd
 */
public record TestbedNode(
        String name,
        String hostname,
        String address,
        int port,
        String user,
        Path privateKey,
        String password,
        long pid1) {

    @Override
    public String toString() {
        // The password stays out of test logs and assertion messages.
        return "TestbedNode[" + hostname + " " + address + ":" + port + " (" + name + ", pid1 " + pid1 + ")]";
    }
}
