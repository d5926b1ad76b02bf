package io.kk.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;

class CommandTreeTest {
    /** What a run printed and returned. */
    record Outcome(int code, String out, String err) {}

    private static Outcome run(boolean whole, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        int code;
        if (whole) {
            Console console = new Console(o, e);
            CommandLine tree = CommandTree.whole(CommandTree.ROOT, new CommandFactory(console));
            code = Main.configure(tree, console, o, e).execute(args);
        } else {
            code = Main.run(o, e, args);
        }
        return new Outcome(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** Usage, help and parse errors read the same from the lazily built tree as from the whole one. */
    @Test
    void helpAndErrorsAreThoseOfTheWholeTree() {
        List<String[]> cases = List.of(
                new String[] {},
                new String[] {"--help"},
                new String[] {"-h"},
                new String[] {"-V"},
                new String[] {"create"},
                new String[] {"create", "--help"},
                new String[] {"artifact"},
                new String[] {"artifact", "images"},
                new String[] {"artifact", "images", "push", "--help"},
                new String[] {"alpha", "cri", "--help"},
                new String[] {"init", "-h"},
                new String[] {"--debug", "certs", "-h"},
                new String[] {"delete"},
                new String[] {"version", "--help"},
                new String[] {"creat"},
                new String[] {"create", "clusterr"},
                new String[] {"foo", "create", "cluster"},
                new String[] {"--output", "version"},
                new String[] {"--output=bogus", "version"},
                new String[] {"--bogus", "create"},
                new String[] {"--", "create"},
                new String[] {"create", "cluster", "--bogus"},
                new String[] {"create", "cluster", "-h"},
                new String[] {"create", "cluster", "stray", "words"},
                new String[] {"--debug", "--output=bogus", "create", "cluster"},
                new String[] {"--output", "json", "artifact", "images", "push", "--bogus"},
                new String[] {"version", "-V"},
                new String[] {"create", "cluster", "stray", "words"},
                new String[] {"--debug", "--output=bogus", "create", "cluster"},
                new String[] {"--output", "json", "artifact", "images", "push", "--bogus"},
                new String[] {"version", "-V"},
                new String[] {"artifact", "images", "push"},
                new String[] {"help", "create", "cluster"});
        for (String[] args : cases) {
            assertThat(run(false, args)).as(String.join(" ", args)).isEqualTo(run(true, args));
        }
        // the cases show what they are meant to: every verb of a group is listed with its description
        assertThat(run(false, "create").out())
                .contains("config", "manifest", "cluster", "phase")
                .contains("Create a cluster");
        assertThat(run(false, "foo", "create", "cluster").err()).contains("foo");
    }

    /** Only the verb's branch is built; the other commands are stand-ins with a name and description. */
    @Test
    void onlyTheChosenBranchIsBuilt() {
        CommandFactory factory = new CommandFactory(new Console(System.out, System.err));
        CommandLine cli = CommandTree.forArgs(factory, "--debug", "artifact", "images", "-h");
        CommandLine images =
                cli.getSubcommands().get("artifact").getSubcommands().get("images");
        assertThat(images.<Object>getCommand()).isInstanceOf(ArtifactImagesCommand.class);
        CommandLine create = cli.getSubcommands().get("create");
        assertThat(create.getSubcommands()).isEmpty();
        assertThat(create.getCommandSpec().userObject())
                .as("a stand-in has no command object")
                .isNull();
        assertThat(create.getCommandSpec().usageMessage().description()[0]).startsWith("Create a config");

        assertThat(CommandTree.route("--output", "json", "version")
                        .orElseThrow()
                        .nodes())
                .hasSize(2);
        assertThat(CommandTree.route("help", "create")).isEmpty();
        assertThat(CommandTree.route("completion")).isEmpty();
        assertThat(CommandTree.route("@args.txt")).isEmpty();
        // a plain run of a verb needs no other command; anything else at a group level may print its usage
        assertThat(CommandTree.route("--debug", "--output=json", "create", "cluster", "-f", "c.yaml")
                        .orElseThrow()
                        .siblings())
                .isFalse();
        assertThat(CommandTree.route("-h", "create", "cluster").orElseThrow().siblings())
                .isTrue();
        assertThat(CommandTree.route("create").orElseThrow().siblings()).isTrue();
        assertThat(CommandTree.route("foo", "create", "cluster").orElseThrow().siblings())
                .isTrue();
        CommandLine bare = CommandTree.forArgs(factory, "create", "cluster", "--dry-run");
        assertThat(bare.getSubcommands().keySet()).containsExactly("create");
        assertThat(bare.getSubcommands().get("create").getSubcommands().keySet())
                .containsExactly("cluster");
    }

    /**
     * The tree is the one place verbs are registered: each node's name is its class's, no class
     * lists subcommands in its annotation (picocli would build those eagerly), and every command
     * class of this package is in the tree (a verb registered the old way after a merge fails here).
     */
    @Test
    void everyCommandClassIsInTheTreeUnderItsOwnName() throws Exception {
        Set<Class<?>> inTree = new HashSet<>();
        List<CommandTree.Node> todo = new ArrayList<>(List.of(CommandTree.ROOT));
        while (!todo.isEmpty()) {
            CommandTree.Node node = todo.remove(0);
            Command command = node.type().getAnnotation(Command.class);
            assertThat(command.name()).as(node.type().getName()).isEqualTo(node.name());
            assertThat(command.subcommands()).as(node.type().getName()).isEmpty();
            inTree.add(node.type());
            todo.addAll(node.children());
        }
        Set<Class<?>> annotated = new HashSet<>();
        for (String name : classNamesOfThisPackage()) {
            Class<?> cls = Class.forName(name);
            if (cls.isAnnotationPresent(Command.class)) {
                annotated.add(cls);
            }
        }
        assertThat(annotated).hasSizeGreaterThan(30);
        assertThat(inTree).containsAll(annotated);
    }

    private static List<String> classNamesOfThisPackage() throws URISyntaxException, java.io.IOException {
        Path dir = Path.of(Main.class.getResource("Main.class").toURI()).getParent();
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".class"))
                    .map(n -> "io.kk.cli." + n.substring(0, n.length() - ".class".length()))
                    .toList();
        }
    }
}
