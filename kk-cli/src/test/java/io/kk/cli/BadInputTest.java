package io.kk.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What an operator sees on a bad day: every verb given a missing, empty, binary, directory or
 * wrongly shaped file, an output path that cannot be written, a mistyped verb or flag. Each case
 * pins the exit code (2 bad input, 3 environment), that the message names the file (and YAML
 * path where there is one) with a hint, that no Java exception leaks without --debug, that with
 * --output json stdout is one JSON error document, and that no half-written output is left.
 */
class BadInputTest {
    @TempDir
    static Path tmp;

    static Path missing;
    static Path dir;
    static Path empty;
    static Path binary;
    static Path list;
    static Path manifestAsConfig;
    static Path hostsAsMap;
    static Path aFile;

    @BeforeAll
    static void files() throws IOException {
        missing = tmp.resolve("no-such.yaml");
        dir = Files.createDirectories(tmp.resolve("a-dir"));
        empty = Files.writeString(tmp.resolve("empty.yaml"), "");
        byte[] garbage = new byte[4096];
        new Random(1).nextBytes(garbage);
        binary = Files.write(tmp.resolve("binary.yaml"), garbage);
        list = Files.writeString(tmp.resolve("list.yaml"), "- a\n- b\n");
        manifestAsConfig = Files.writeString(
                tmp.resolve("manifest.yaml"),
                "apiVersion: kubekey.kubesphere.io/v1alpha2\nkind: Manifest\nmetadata: {name: m}\n");
        hostsAsMap = Files.writeString(
                tmp.resolve("hosts-map.yaml"),
                "apiVersion: kubekey.kubesphere.io/v1alpha2\nkind: Cluster\nmetadata: {name: x}\n"
                        + "spec:\n  hosts: {a: 1}\n");
        aFile = Files.writeString(tmp.resolve("a-file"), "x\n");
    }

    /** One probe: kk's arguments, the exit code wanted, and what stderr must say. */
    record Case(String name, List<String> args, int exit, List<String> says) {
        static Case of(String name, int exit, String[] args, String... says) {
            return new Case(name, List.of(args), exit, List.of(says));
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static String[] a(Object... args) {
        return Arrays.stream(args).map(String::valueOf).toArray(String[]::new);
    }

    static Stream<Case> cases() {
        List<Case> c = new ArrayList<>();
        // -f of the verbs reading a Cluster config, -m of export
        for (String[] verb : List.of(
                a("create", "cluster", "--dry-run"),
                a("create", "manifest"),
                a("add", "nodes", "--dry-run"),
                a("delete", "node", "--dry-run", "node1"),
                a("delete", "cluster", "--dry-run"),
                a("upgrade", "--dry-run", "--with-kubernetes", "v1.28.2"),
                a("certs", "check-expiration", "--dry-run"),
                a("certs", "renew", "--dry-run"),
                a("init", "registry", "--dry-run"),
                a("init", "os", "--dry-run"))) {
            String v = String.join(" ", verb);
            c.add(Case.of(v + " -f missing", 2, concat(verb, "-f", missing), "file not found: " + missing, "hint: "));
            c.add(Case.of(v + " -f dir", 2, concat(verb, "-f", dir), dir + " is a directory, not a file", "with -f"));
            c.add(Case.of(v + " -f binary", 2, concat(verb, "-f", binary), binary + " is not UTF-8 text"));
            c.add(Case.of(
                    v + " -f empty", 2, concat(verb, "-f", empty), empty + ": the file is empty", "kind: Cluster"));
        }
        c.add(Case.of("create cluster -f list", 2, a("create", "cluster", "--dry-run", "-f", list), list + ":1: kind"));
        c.add(Case.of(
                "create cluster -f manifest",
                2,
                a("create", "cluster", "--dry-run", "-f", manifestAsConfig),
                "this looks like a Manifest (use it with -m)"));
        c.add(Case.of(
                "create cluster -f hosts as a map",
                2,
                a("create", "cluster", "--dry-run", "-f", hostsAsMap),
                hostsAsMap + ":5: spec.hosts: expected a list, found a map",
                "hint: "));
        c.add(Case.of(
                "export -m missing", 2, a("artifact", "export", "-m", missing), "file not found: " + missing, "-m"));
        c.add(Case.of("export -m dir", 2, a("artifact", "export", "-m", dir), dir + " is a directory", "with -m"));
        c.add(Case.of("export -m binary", 2, a("artifact", "export", "-m", binary), "is not UTF-8 text"));
        c.add(Case.of(
                "export -m empty", 2, a("artifact", "export", "-m", empty), "the file is empty", "kind: Manifest"));
        // -a of the artifact verbs that read the file itself
        for (String[] verb : List.of(
                a("artifact", "inspect"),
                a("artifact", "verify"),
                a("artifact", "import", "--dir", tmp.resolve("imported")))) {
            String v = String.join(" ", verb);
            c.add(Case.of(v + " -a missing", 2, concat(verb, "-a", missing), "no such artifact: " + missing, "-a"));
            c.add(Case.of(v + " -a dir", 2, concat(verb, "-a", dir), dir + " is a directory, not an artifact file"));
            c.add(Case.of(
                    v + " -a empty", 2, concat(verb, "-a", empty), empty + " is empty (0 bytes), not an artifact"));
            c.add(Case.of(v + " -a binary", 2, concat(verb, "-a", binary), binary + " is not an artifact", "-a"));
        }
        c.add(Case.of(
                "images push -a missing",
                2,
                a("artifact", "images", "push", "-a", missing, "--registry", "127.0.0.1:1", "--plain-http"),
                missing + " does not exist"));
        for (String[] verb : List.of(
                a("create", "cluster", "--dry-run"),
                a("init", "registry", "--dry-run", "-f", hostsOk()),
                a("init", "os", "--dry-run", "-f", hostsOk()))) {
            c.add(Case.of(
                    String.join(" ", verb) + " -a missing",
                    2,
                    concat(verb, "-a", missing),
                    "artifact " + missing + " does not exist",
                    "check the path given with -a"));
        }
        // output paths
        Path underFile = aFile.resolve("c.yaml");
        Path underMissing = tmp.resolve("no-dir/sub/c.yaml");
        c.add(Case.of(
                "create config -f under a file",
                2,
                a("create", "config", "-f", underFile),
                "cannot write " + underFile + ": " + aFile + " is a file, not a directory",
                "-f"));
        c.add(Case.of(
                "create config -f in a missing dir",
                2,
                a("create", "config", "-f", underMissing),
                "cannot write " + underMissing + ": directory",
                "mkdir -p"));
        c.add(Case.of("create config -f dir", 2, a("create", "config", "-f", dir), dir + " is a directory", "-f"));
        c.add(Case.of(
                "create config -f existing",
                2,
                a("create", "config", "-f", aFile),
                aFile + " already exists",
                "pass --yes to overwrite it"));
        c.add(Case.of(
                "create manifest -o under a file",
                2,
                a("create", "manifest", "--with-kubernetes", "v1.28.2", "-o", underFile),
                aFile + " is a file, not a directory",
                "-o"));
        c.add(Case.of(
                "create manifest -o dir",
                2,
                a("create", "manifest", "--with-kubernetes", "v1.28.2", "-o", dir),
                dir + " is a directory",
                "-o"));
        // the command line itself
        c.add(Case.of(
                "unknown flag",
                2,
                a("create", "cluster", "--frobnicate"),
                "error: Unknown option: '--frobnicate'",
                "hint: run 'kk create cluster --help'"));
        c.add(Case.of(
                "mistyped flag", 2, a("create", "cluster", "--dryrun"), "Possible solutions: --dry-run", "hint: "));
        c.add(Case.of(
                "mistyped verb",
                2,
                a("creat", "cluster"),
                "Did you mean: kk create?",
                "hint: run 'kk --help' for the commands"));
        c.add(Case.of("mistyped sub-verb", 2, a("create", "clustr"), "Did you mean: create cluster", "hint: "));
        c.add(Case.of(
                "flag without value", 2, a("create", "cluster", "-f"), "error: Missing required parameter", "hint: "));
        c.add(Case.of("not a number", 2, a("create", "cluster", "--parallel", "abc"), "'abc' is not an int", "hint: "));
        c.add(Case.of("no verb", 2, a(), "Usage: kk", "error: Missing required subcommand"));
        return c.stream();
    }

    /** A valid one-host Cluster config (nothing is contacted: dry runs only). */
    static Path hostsOk() {
        Path p = tmp.resolve("ok.yaml");
        try {
            if (!Files.exists(p)) {
                Files.writeString(
                        p,
                        "apiVersion: kubekey.kubesphere.io/v1alpha2\nkind: Cluster\nmetadata: {name: ok}\n"
                                + "spec:\n  hosts:\n  - {name: node1, address: 127.0.0.1, port: 1, user: root,"
                                + " password: x}\n  roleGroups:\n    etcd: [node1]\n    control-plane: [node1]\n"
                                + "    worker: [node1]\n    registry: [node1]\n  kubernetes: {version: v1.28.2}\n");
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return p;
    }

    static String[] concat(String[] verb, Object... more) {
        List<String> all = new ArrayList<>(List.of(verb));
        for (Object m : more) {
            all.add(String.valueOf(m));
        }
        return all.toArray(String[]::new);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void saysWhatToFixWithoutAStackTrace(Case c) throws IOException {
        List<String> before = listing();
        KkRun r = KkRun.of(c.args().toArray(String[]::new));

        assertThat(r.exit()).as(c.name() + "\n" + r.err()).isEqualTo(c.exit());
        for (String s : c.says()) {
            assertThat(r.err()).as(c.name()).contains(s);
        }
        assertThat(r.err()).as(c.name()).containsAnyOf("hint: ", "(hint: ");
        assertNoJavaLeak(r.err() + r.out());
        assertThat(listing()).as("nothing written by " + c.name()).isEqualTo(before);
    }

    @ParameterizedTest(name = "{0} --output json")
    @MethodSource("cases")
    void jsonModeErrorsAreOneJsonDocument(Case c) throws IOException {
        List<String> args = new ArrayList<>(c.args());
        args.add(0, "--output=json");
        KkRun r = KkRun.of(args.toArray(String[]::new));

        assertThat(r.exit()).as(c.name()).isEqualTo(c.exit());
        JsonNode doc = new ObjectMapper().readTree(r.out());
        assertThat(doc.path("ok").asBoolean(true)).isFalse();
        assertThat(doc.path("error").path("exitCode").asInt()).isEqualTo(c.exit());
        assertThat(doc.path("error").path("message").asText()).isNotBlank();
        assertThat(doc.path("error").path("hint").asText()).isNotBlank();
        assertNoJavaLeak(r.out());
    }

    @Test
    void invalidConfigInJsonListsEachProblemWithFileAndYamlPath() throws IOException {
        KkRun r = KkRun.of("--output", "json", "create", "cluster", "--dry-run", "-f", hostsAsMap.toString());

        JsonNode problems = new ObjectMapper().readTree(r.out()).path("error").path("problems");
        assertThat(problems.isArray()).isTrue();
        assertThat(problems.get(0).path("file").asText()).isEqualTo(hostsAsMap.toString());
        assertThat(problems.get(0).path("path").asText()).isEqualTo("spec.hosts");
        assertThat(problems.get(0).path("line").asInt()).isEqualTo(5);
        assertThat(problems.get(0).path("hint").asText()).isNotBlank();
    }

    @Test
    void debugStillShowsTheStackTrace() {
        KkRun r = KkRun.of("--debug", "artifact", "inspect", "-a", binary.toString());

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("\tat io.kk.");
    }

    static void assertNoJavaLeak(String text) {
        assertThat(text)
                .doesNotContain("Exception")
                .doesNotContain("java.")
                .doesNotContain("\tat ")
                .doesNotContain(".kktmp");
    }

    /** Every file under the temp dir, to show a failed run wrote nothing (no temp file, no output). */
    private static List<String> listing() throws IOException {
        try (Stream<Path> s = Files.walk(tmp)) {
            return s.map(p -> tmp.relativize(p).toString()).sorted().toList();
        }
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
