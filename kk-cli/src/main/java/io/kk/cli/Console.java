package io.kk.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.kk.error.Problem;
import io.kk.event.Event;
import io.kk.event.EventSink;
import io.kk.event.Note;
import io.kk.event.Progress;
import io.kk.plan.PlanEvent;
import java.io.PrintStream;
import java.io.UncheckedIOException;

/**
 * Where kk talks to the user: results on stdout, progress and diagnostics on stderr. In JSON mode
 * stdout carries exactly one JSON document per command, so scripts can parse it.
 */
public final class Console implements EventSink {
    public enum Output {
        TEXT,
        JSON
    }

    /**
     * Built on first use only (holder idiom): most runs print text, and building the mapper (its
     * module scan) was a large share of every kk start.
     */
    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper()
                .findAndRegisterModules()
                .registerModule(new com.fasterxml.jackson.databind.module.SimpleModule()
                        .addSerializer(java.util.Optional.class, new OptionalSerializer()))
                .enable(SerializationFeature.INDENT_OUTPUT);
    }

    /** Results carry Optionals: an empty one is null in JSON, a present one its value. */
    @SuppressWarnings("rawtypes")
    private static final class OptionalSerializer
            extends com.fasterxml.jackson.databind.ser.std.StdSerializer<java.util.Optional> {
        private static final long serialVersionUID = 1L;

        OptionalSerializer() {
            super(java.util.Optional.class);
        }

        @Override
        public void serialize(
                java.util.Optional value,
                com.fasterxml.jackson.core.JsonGenerator gen,
                com.fasterxml.jackson.databind.SerializerProvider provider)
                throws java.io.IOException {
            if (value.isPresent()) {
                provider.defaultSerializeValue(value.get(), gen);
            } else {
                gen.writeNull();
            }
        }
    }

    private final PrintStream out;
    private final PrintStream err;
    private volatile boolean debug;
    private volatile Output output = Output.TEXT;
    private volatile boolean resultPrinted;
    private final ProgressRenderer progress;
    private final PlanRenderer plan;

    public Console(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
        this.progress = new ProgressRenderer(err);
        this.plan = new PlanRenderer(err);
    }

    public PrintStream out() {
        return out;
    }

    public PrintStream err() {
        return err;
    }

    public boolean debug() {
        return debug;
    }

    void setDebug(boolean debug) {
        this.debug = debug;
    }

    public Output output() {
        return output;
    }

    void setOutput(Output output) {
        this.output = output;
    }

    public boolean json() {
        return output == Output.JSON;
    }

    /** Prints a line of human-readable result on stdout (suppressed in JSON mode). */
    public void line(String text) {
        if (!json()) {
            out.println(text);
        }
    }

    /** Prints the command's result as JSON when asked for; text commands print their own lines. */
    public void result(Object value) {
        if (json()) {
            try {
                out.println(Json.MAPPER.writeValueAsString(value));
                resultPrinted = true;
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Whether stdout already carries the one JSON document of this run. */
    boolean resultPrinted() {
        return resultPrinted;
    }

    public void problem(Problem p) {
        err.println(p.describe());
    }

    @Override
    public void emit(Event event) {
        if (event instanceof Progress p) {
            progress.render(p);
        } else if (event instanceof Note n) {
            if (n.level() == Note.Level.DEBUG && !debug) {
                return;
            }
            progress.clearLine();
            err.println((n.level() == Note.Level.WARN ? "warning: " : "") + n.text());
        } else if (event instanceof io.kk.artifact.ExportSummary) {
            // `artifact export` prints its own summary as the result
            progress.clearLine();
        } else if (event instanceof PlanEvent p) {
            progress.clearLine();
            plan.render(p);
        } else {
            progress.clearLine();
            err.println(event.toString());
        }
    }
}
