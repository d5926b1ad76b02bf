package io.kk.cli;

import io.kk.error.KkException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/** The yes/no question of the day-two verbs that change a running cluster, answered on a terminal. */
final class Confirmation {
    private Confirmation() {}

    /** Asks "WHAT: continue?" (see {@link #ask(Console, String, String)}). */
    static void ask(Console console, String what) {
        ask(console, what, what + ": continue?");
    }

    /** Asks on stderr; throws unless the answer is yes. Without a terminal, says to add --yes. */
    static void ask(Console console, String what, String question) {
        if (System.console() == null) {
            throw KkException.invalidInput(
                    what + " asks for confirmation, and stdin is not a terminal",
                    "add --yes to run without asking, or --dry-run to see the full plan");
        }
        console.err().print(question + " [yes/no]: ");
        console.err().flush();
        try {
            String answer = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            if (answer == null
                    || !(answer.strip().equalsIgnoreCase("yes")
                            || answer.strip().equalsIgnoreCase("y"))) {
                throw KkException.failed("not confirmed: nothing was done", "answer yes, or add --yes");
            }
        } catch (IOException e) {
            throw KkException.environment("cannot read the answer: " + io.kk.error.Causes.describe(e), "add --yes");
        }
    }
}
