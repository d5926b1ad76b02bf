package io.kk.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** kk's small JSON reader/writer against Jackson, which the image engine used before. */
class JsonTest {
    private static final ObjectMapper JACKSON = new ObjectMapper();

    private static final List<String> DOCUMENTS = List.of(
            "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":["
                    + "{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"sha256:"
                    + "a".repeat(64) + "\",\"size\":1234,\"platform\":{\"architecture\":\"arm\",\"os\":\"linux\","
                    + "\"variant\":\"v7\"},\"annotations\":{\"org.opencontainers.image.ref.name\":\"x:1\"}}]}",
            // docker's own indentation, escapes, unicode and a surrogate pair
            "{\n   \"schemaVersion\": 2,\n   \"config\": {\"size\": 0, \"digest\": \"sha256:"
                    + "b".repeat(64)
                    + "\"},\n   \"layers\": [],\n   \"annotations\": {\"q\": \"a\\\"b\\\\c\\/d\\n\\t\\u0001"
                    + "\\u00e9\\uD83D\\uDE00 caf\u00e9\"}\n}\n",
            "[1,-0,0.5,-1.25e+10,3E-2,true,false,null,\"\",[],{},[[{}]]]",
            "{\"a\":1,\"b\":{\"c\":[1,2,{\"d\":null}]},\"a\":2}",
            "\"just a string\"",
            "  42  ");

    @Test
    void writesWhatJacksonWritesForTheSameDocument() throws Exception {
        for (String doc : DOCUMENTS) {
            byte[] in = doc.getBytes(StandardCharsets.UTF_8);
            String jackson = new String(JACKSON.writeValueAsBytes(JACKSON.readTree(in)), StandardCharsets.UTF_8);
            String kk = new String(Json.write(Json.parse(in)), StandardCharsets.UTF_8);
            if (doc.contains("1.25e+10") || doc.contains("3E-2")) {
                // Jackson rewrites numbers (-1.25E10, 0.03); kk keeps them as written, so equal as values
                assertThat(JACKSON.readTree(kk)).as(doc).isEqualTo(JACKSON.readTree(jackson));
                assertThat(kk).contains("-1.25e+10", "3E-2");
            } else {
                assertThat(kk).as(doc).isEqualTo(jackson);
            }
        }
    }

    @Test
    void randomDocumentsReadAsJacksonReadsThem() throws Exception {
        Random r = new Random(7);
        for (int i = 0; i < 300; i++) {
            Object doc = randomValue(r, 0);
            byte[] bytes = JACKSON.writeValueAsBytes(doc);
            assertThat(new String(Json.write(Json.parse(bytes)), StandardCharsets.UTF_8))
                    .isEqualTo(new String(bytes, StandardCharsets.UTF_8));
        }
    }

    @Test
    void readsMembersAsJacksonsPathDid() throws Exception {
        Object t = Json.parse("{\"n\":12,\"s\":\"12\",\"z\":null,\"o\":{},\"l\":[1]}".getBytes(StandardCharsets.UTF_8));
        assertThat(Json.longValue(Json.get(t, "n"), -1)).isEqualTo(12);
        assertThat(Json.longValue(Json.get(t, "s"), -1)).isEqualTo(12);
        assertThat(Json.longValue(Json.get(t, "missing"), -1)).isEqualTo(-1);
        assertThat(Json.text(Json.get(t, "n"), "")).isEqualTo("12");
        assertThat(Json.text(Json.get(t, "z"), "fallback")).isEqualTo("fallback");
        assertThat(Json.text(Json.get(t, "o"), "fallback")).isEmpty();
        assertThat(Json.elements(Json.get(t, "l"))).hasSize(1);
        assertThat(Json.elements(Json.get(t, "o"))).isEmpty();
        assertThat(Json.members(Json.get(t, "l"))).isEmpty();
        assertThat(Json.get(Json.get(t, "missing"), "deeper")).isNull();
    }

    @Test
    void refusesWhatIsNotJsonSayingWhere() {
        for (String bad : List.of(
                "",
                "   ",
                "{",
                "{\"a\"}",
                "{\"a\":}",
                "{a:1}",
                "[1,]",
                "[1 2]",
                "\"open",
                "\"bad \\x escape\"",
                "tru",
                "01x",
                "-",
                "1.",
                "1e",
                "{\"a\":1,}",
                "\"tab\there\"",
                "\"\\u12\"")) {
            assertThatThrownBy(() -> Json.parse(bad.getBytes(StandardCharsets.UTF_8)))
                    .as(bad)
                    .isInstanceOf(Json.SyntaxException.class)
                    .hasMessageContaining("at byte")
                    .satisfiesAnyOf(e -> assertThat(bad).isBlank(), e -> assertThatThrownBy(() -> JACKSON.readTree(bad))
                            .isNotNull());
        }
    }

    @Test
    void refusesNestingDeeperThanAnyManifestWithoutOverflowingTheStack() {
        byte[] deep = "[".repeat(100_000).getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> Json.parse(deep))
                .isInstanceOf(Json.SyntaxException.class)
                .hasMessageContaining("deeper");
    }

    private static Object randomValue(Random r, int depth) {
        int kind = depth > 3 ? r.nextInt(4) : r.nextInt(6);
        switch (kind) {
            case 0:
                return r.nextLong();
            case 1:
                return randomString(r);
            case 2:
                return r.nextBoolean();
            case 3:
                return null;
            case 4: {
                Map<String, Object> m = new java.util.LinkedHashMap<>();
                for (int i = r.nextInt(4); i > 0; i--) {
                    m.put(randomString(r), randomValue(r, depth + 1));
                }
                return m;
            }
            default: {
                List<Object> l = new java.util.ArrayList<>();
                for (int i = r.nextInt(4); i > 0; i--) {
                    l.add(randomValue(r, depth + 1));
                }
                return l;
            }
        }
    }

    private static String randomString(Random r) {
        StringBuilder sb = new StringBuilder();
        for (int i = r.nextInt(12); i > 0; i--) {
            int pick = r.nextInt(10);
            sb.append(
                    pick < 6
                            ? (char) ('a' + r.nextInt(26))
                            : pick < 8
                                    ? "\"\\/\n\t\u0001\u001f".charAt(r.nextInt(7))
                                    : pick == 8 ? '\u00e9' : '\u4e2d');
        }
        if (r.nextInt(8) == 0) {
            sb.appendCodePoint(0x1F600);
        }
        return sb.toString();
    }
}
