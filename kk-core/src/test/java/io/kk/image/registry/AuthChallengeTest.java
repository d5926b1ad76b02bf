package io.kk.image.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class AuthChallengeTest {
    @Test
    void bearerWithQuotedParams() {
        List<AuthChallenge> c = AuthChallenge.parse(
                "Bearer realm=\"https://auth.docker.io/token\",service=\"registry.docker.io\",scope=\"repository:library/nginx:pull,push\"");
        assertThat(c).hasSize(1);
        assertThat(c.get(0).scheme()).isEqualTo("Bearer");
        assertThat(c.get(0).param("realm")).isEqualTo("https://auth.docker.io/token");
        assertThat(c.get(0).param("scope")).isEqualTo("repository:library/nginx:pull,push");
    }

    @Test
    void basicAndSeveralChallenges() {
        assertThat(AuthChallenge.parse("Basic realm=\"kk-test\"").get(0).param("realm"))
                .isEqualTo("kk-test");
        List<AuthChallenge> two = AuthChallenge.parse(
                "Basic realm=\"x\", Bearer realm=\"https://t/token\",service=s,error=\"insufficient_scope\"");
        assertThat(two).extracting(AuthChallenge::scheme).containsExactly("Basic", "Bearer");
        assertThat(two.get(1).param("service")).isEqualTo("s");
        assertThat(two.get(1).param("error")).isEqualTo("insufficient_scope");
    }
}
