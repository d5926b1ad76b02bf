package io.kk.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;

/**
 * kk's command tree. A new verb is registered here, in its group, not in the group's
 * {@code @Command(subcommands)}: picocli builds every command listed there when the root is built,
 * reflecting over each class, its options and mixins, which was most of a short command's start-up.
 * {@link #forArgs} builds only the commands the arguments go through; every other command is a
 * stand-in spec with its name and description only (what a group's usage lists and what picocli's
 * "did you mean" suggestions use), or left out when nothing can print them (see {@link Route}). {@code kk help ...}, {@code kk completion} and argument files
 * ({@code @file}) get the whole tree.
 */
final class CommandTree {
    /** A command: its name, its class (annotated with {@code @Command}) and, for a group, its verbs. */
    record Node(String name, Class<?> type, List<Node> children) {
        Optional<Node> child(String name) {
            for (Node c : children) {
                if (c.name.equals(name)) {
                    return Optional.of(c);
                }
            }
            return Optional.empty();
        }
    }

    static final Node ROOT = group(
            "kk",
            Main.class,
            verb("version", VersionCommand.class),
            group(
                    "create",
                    CreateCommand.class,
                    verb("config", CreateConfigCommand.class),
                    verb("manifest", CreateManifestCommand.class),
                    verb("cluster", CreateClusterCommand.class),
                    verb("phase", CreatePhaseCommand.class)),
            group(
                    "artifact",
                    ArtifactCommand.class,
                    verb("export", ArtifactExportCommand.class),
                    verb("inspect", ArtifactInspectCommand.class),
                    verb("verify", ArtifactVerifyCommand.class),
                    verb("import", ArtifactImportCommand.class),
                    group("images", ArtifactImagesCommand.class, verb("push", ArtifactImagesPushCommand.class))),
            group(
                    "init",
                    InitCommand.class,
                    verb("os", InitOsCommand.class),
                    verb("registry", InitRegistryCommand.class),
                    verb("images", InitImagesCommand.class),
                    verb("runtime", InitRuntimeCommand.class)),
            group("add", AddCommand.class, verb("nodes", AddNodesCommand.class)),
            group(
                    "delete",
                    DeleteCommand.class,
                    verb("node", DeleteNodeCommand.class),
                    verb("cluster", DeleteClusterCommand.class)),
            group(
                    "certs",
                    CertsCommand.class,
                    verb("check-expiration", CertsCheckExpirationCommand.class),
                    verb("renew", CertsRenewCommand.class)),
            group(
                    "alpha",
                    AlphaCommand.class,
                    group("cri", AlphaCriCommand.class, verb("migrate", CriMigrateCommand.class))),
            verb("upgrade", UpgradeCommand.class),
            verb("completion", CompletionCommand.class),
            verb("help", CommandLine.HelpCommand.class));

    /** Verbs that need the whole tree: help describes any command, completion lists them all. */
    private static final List<String> WHOLE_TREE_VERBS = List.of("help", "completion");

    private CommandTree() {}

    private static Node verb(String name, Class<?> type) {
        return new Node(name, type, List.of());
    }

    private static Node group(String name, Class<?> type, Node... children) {
        return new Node(name, type, List.of(children));
    }

    /**
     * The commands the arguments go through, from the root, and whether the commands beside them
     * must be there too.
     *
     * @param siblings false only when the arguments reach a verb with nothing at a group level but
     *     the names on the way and the root's {@code --debug} / {@code --output FORMAT}: then no
     *     group's usage or suggestions can be printed, so the other commands are left out altogether
     */
    record Route(List<Node> nodes, boolean siblings) {}

    /**
     * The route of these arguments, as picocli will match them: at each level the first argument
     * naming a subcommand descends into it; an option's value (only {@code --output} takes one
     * before a verb) and anything after {@code --} never does. Empty when the whole tree is needed.
     */
    static Optional<Route> route(String... args) {
        List<Node> path = new ArrayList<>(List.of(ROOT));
        Node at = ROOT;
        boolean onlyNames = true;
        for (int i = 0; i < args.length && !at.children.isEmpty(); i++) {
            String arg = args[i];
            if (arg.startsWith("@")) {
                return Optional.empty(); // an argument file: its words are not known here
            }
            if (arg.equals("--")) {
                onlyNames = false;
                break;
            }
            Optional<Node> next = at.child(arg);
            if (next.isPresent()) {
                at = next.get();
                path.add(at);
                if (WHOLE_TREE_VERBS.contains(at.name) && path.size() == 2) {
                    return Optional.empty();
                }
            } else if (arg.equals("--output")
                    && i + 1 < args.length
                    && at.child(args[i + 1]).isEmpty()) {
                i++; // picocli takes the next word as the value unless it names a subcommand
                onlyNames &= at == ROOT && isOutputFormat(args[i]);
            } else {
                onlyNames &= at == ROOT
                        && (arg.equals("--debug")
                                || arg.startsWith("--output=") && isOutputFormat(arg.substring("--output=".length())));
            }
        }
        return Optional.of(new Route(path, !(onlyNames && at.children.isEmpty())));
    }

    /** A value --output takes; any other makes picocli print the root's usage. */
    private static boolean isOutputFormat(String value) {
        return value.equalsIgnoreCase("text") || value.equalsIgnoreCase("json");
    }

    /** The command line for these arguments: only their branch is built (see the class comment). */
    static CommandLine forArgs(CommandLine.IFactory factory, String... args) {
        Optional<Route> route = route(args);
        return route.isPresent() ? branch(route.get(), 0, factory) : whole(ROOT, factory);
    }

    /** Every command, built (as picocli's annotation-driven tree was). */
    static CommandLine whole(Node node, CommandLine.IFactory factory) {
        CommandLine cli = build(node, factory);
        for (Node child : node.children) {
            add(cli, child.name, whole(child, factory));
        }
        return cli;
    }

    private static CommandLine branch(Route route, int depth, CommandLine.IFactory factory) {
        Node node = route.nodes.get(depth);
        CommandLine cli = build(node, factory);
        Node next = depth + 1 < route.nodes.size() ? route.nodes.get(depth + 1) : null;
        for (Node child : node.children) {
            if (child == next) {
                add(cli, child.name, branch(route, depth + 1, factory));
            } else if (route.siblings) {
                add(cli, child.name, standIn(child));
            }
        }
        return cli;
    }

    private static CommandLine build(Node node, CommandLine.IFactory factory) {
        try {
            return new CommandLine(factory.create(node.type), factory);
        } catch (Exception e) {
            throw new CommandLine.InitializationException("cannot create command " + node.name + ": " + e, e);
        }
    }

    /** A merge that put a verb back into a group's @Command(subcommands) still runs (eagerly). */
    private static void add(CommandLine parent, String name, CommandLine child) {
        if (!parent.getSubcommands().containsKey(name)) {
            parent.addSubcommand(name, child);
        }
    }

    /** Name and description only: what the parent's usage and suggestions read. */
    private static CommandLine standIn(Node node) {
        Command command = node.type.getAnnotation(Command.class);
        CommandSpec spec = CommandSpec.create().name(node.name);
        spec.usageMessage()
                .description(command.description())
                .header(command.header())
                .hidden(command.hidden());
        spec.aliases(command.aliases());
        return new CommandLine(spec);
    }
}
