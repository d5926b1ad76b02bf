package io.kk.config.yaml;

import static org.assertj.core.api.Assertions.assertThat;

import io.kk.error.Problem;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CursorTest {

    private static Cursor root(String yaml, Problems p) {
        List<YamlDocument> docs = YamlDocument.parseAll(yaml, p);
        assertThat(docs).isNotEmpty();
        return docs.get(0).root();
    }

    @Test
    void walksByPathAndKnowsLines() {
        Problems p = new Problems("f.yaml");
        Cursor r = root(
                """
                spec:
                  hosts:
                  - name: a
                    address: 10.0.0.1
                  - {name: b, address: 10.0.0.2}
                  auths:
                    "reg.local:5000": {username: u}
                """,
                p);
        List<Cursor> hosts = r.field("spec").field("hosts").list();
        assertThat(hosts).hasSize(2);
        Cursor addr = hosts.get(1).field("address");
        assertThat(addr.path()).isEqualTo("spec.hosts[1].address");
        assertThat(addr.line()).isEqualTo(5);
        assertThat(addr.string()).contains("10.0.0.2");
        assertThat(hosts.get(0).field("address").line()).isEqualTo(4);
        Cursor auth = r.field("spec").field("auths").entries().get("reg.local:5000");
        assertThat(auth.path()).isEqualTo("spec.auths[\"reg.local:5000\"]");
        assertThat(auth.field("username").path()).isEqualTo("spec.auths[\"reg.local:5000\"].username");
        assertThat(p.lineOf("spec.hosts[1].address")).isEqualTo(5);
        assertThat(p.lineOf("spec.hosts[1].missing.deeper")).isEqualTo(5);
        assertThat(p.list()).isEmpty();
    }

    @Test
    void wrongTypesBecomeProblemsAndDefaults() {
        Problems p = new Problems("f.yaml");
        Cursor r = root("a: [1]\nb: x\nc: {k: v}\nd: ~\n", p);
        assertThat(r.field("a").integer(7)).isEqualTo(7);
        assertThat(r.field("b").list()).isEmpty();
        assertThat(r.field("c").strings()).isEmpty();
        assertThat(r.field("d").present()).isFalse();
        assertThat(r.field("d").string("dflt")).isEqualTo("dflt");
        assertThat(r.field("zzz").bool(true)).isTrue();
        assertThat(p.list())
                .extracting(Problem::path, Problem::line, Problem::message)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("a", 1, "expected an integer, found a list"),
                        org.assertj.core.groups.Tuple.tuple("b", 2, "expected a list, found \"x\""),
                        org.assertj.core.groups.Tuple.tuple("c", 3, "expected a list, found a map"));
    }

    @Test
    void freeMapsKeepTypes() {
        Problems p = new Problems("f.yaml");
        Map<String, Object> m = root("m: {i: 1, f: 1.5, b: true, s: x, l: [1, two], n: ~}\n", p)
                .field("m")
                .freeMap();
        assertThat(m)
                .containsEntry("i", 1L)
                .containsEntry("f", 1.5)
                .containsEntry("b", true)
                .containsEntry("s", "x");
        assertThat(m.get("l")).isEqualTo(List.of(1L, "two"));
        assertThat(m).containsKey("n");
    }

    @Test
    void syntaxErrorsHaveLineAndColumnAndEarlierDocumentsSurvive() {
        Problems p = new Problems("f.yaml");
        List<YamlDocument> docs = YamlDocument.parseAll("a: 1\n---\nb: [1, 2\nc: 3\n", p);
        assertThat(docs).hasSize(1);
        assertThat(p.list()).singleElement().satisfies(pr -> {
            assertThat(pr.line()).isEqualTo(4);
            assertThat(pr.message()).startsWith("invalid YAML at column 2: ");
            assertThat(pr.file()).isEqualTo("f.yaml");
        });
    }

    @Test
    void multiDocumentsKeepTheirOwnText() {
        Problems p = new Problems("f.yaml");
        List<YamlDocument> docs = YamlDocument.parseAll("kind: A\n---\nkind: B\nx: 1\n", p);
        assertThat(docs).extracting(YamlDocument::text).containsExactly("kind: A\n", "kind: B\nx: 1\n");
    }

    @Test
    void walksByPathString() {
        Problems p = new Problems("f.yaml");
        Cursor r = root(
                """
                spec:
                  hosts:
                  - {name: a, address: 10.0.0.1}
                  - {name: b, address: 10.0.0.2}
                  - {name: c, address: 10.0.0.3}
                  auths:
                    "reg.local": {username: u}
                """,
                p);
        Cursor addr = r.at("spec.hosts[2].address");
        assertThat(addr.path()).isEqualTo("spec.hosts[2].address");
        assertThat(addr.line()).isEqualTo(5);
        assertThat(addr.string()).contains("10.0.0.3");
        assertThat(r.at("spec.auths[\"reg.local\"].username").string()).contains("u");
        assertThat(r.at("spec.hosts[7].address").present()).isFalse();
        assertThat(r.at("spec.nothing.here").present()).isFalse();
        assertThat(p.list()).isEmpty();
    }
}
