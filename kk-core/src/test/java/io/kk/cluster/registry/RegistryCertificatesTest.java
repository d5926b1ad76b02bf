package io.kk.cluster.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.kk.pki.Pem;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegistryCertificatesTest {
    @TempDir
    Path work;

    @Test
    void aRerunReusesCaAndCertificateAndNewNamesGetANewCertificateFromTheSameCa() throws Exception {
        List<String> dns = List.of("dockerhub.kubekey.local", "node1");
        var first = RegistryCertificates.ensure(
                work, "dockerhub.kubekey.local", dns, List.of("10.0.0.1"), Clock.systemUTC());
        var again = RegistryCertificates.ensure(
                work, "dockerhub.kubekey.local", dns, List.of("10.0.0.1"), Clock.systemUTC());
        assertThat(again.certPem()).isEqualTo(first.certPem());
        assertThat(again.keyPem()).isEqualTo(first.keyPem());
        var moved = RegistryCertificates.ensure(
                work, "dockerhub.kubekey.local", dns, List.of("10.0.0.9"), Clock.systemUTC());
        assertThat(moved.caPem()).isEqualTo(first.caPem());
        assertThat(moved.certPem()).isNotEqualTo(first.certPem());
        var cert = Pem.certificates(moved.certPem(), "t").get(0);
        cert.verify(Pem.certificates(first.caPem(), "ca").get(0).getPublicKey());
        assertThat(cert.getSubjectAlternativeNames().stream().map(l -> l.get(1).toString()))
                .containsExactlyInAnyOrder("dockerhub.kubekey.local", "node1", "10.0.0.9");
    }
}
