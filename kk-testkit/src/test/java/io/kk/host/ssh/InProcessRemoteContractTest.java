package io.kk.host.ssh;

import io.kk.event.EventSink;
import io.kk.host.HostAccess;
import io.kk.host.Remote;
import io.kk.testkit.ssh.SshTestServer;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** The contract against the in-process MINA server (commands run as this JVM's user). */
class InProcessRemoteContractTest extends RemoteContract {
    private static SshTestServer server;
    private SshRemoteFactory factory;

    @TempDir
    Path kkDir;

    @BeforeAll
    static void startServer() {
        server = SshTestServer.start(SshTestServer.config()
                .password("root", "root-pw")
                .password("deploy", "deploy-pw")
                .sudoPassword("deploy-pw"));
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @BeforeEach
    void openFactory() {
        factory = new SshRemoteFactory(SshRemoteFactory.Options.of(kkDir.resolve("known_hosts"), EventSink.NONE));
    }

    @AfterEach
    void closeFactory() {
        factory.close();
    }

    @Override
    protected Remote root() {
        return factory.remote(
                HostAccess.of("node1", "127.0.0.1").withPort(server.port()).withPassword("root-pw"));
    }

    @Override
    protected Remote sudoer() {
        return factory.remote(HostAccess.of("node2", "127.0.0.1")
                .withPort(server.port())
                .withUser("deploy")
                .withPassword("deploy-pw"));
    }

    @Override
    protected String sudoRunsAs() {
        return System.getProperty("user.name");
    }

    @Override
    protected int connectionsAccepted() {
        return server.sessionsOpened();
    }
}
