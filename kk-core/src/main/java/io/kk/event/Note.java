package io.kk.event;

/** A line of information for the user (warnings included), not tied to progress. */
public record Note(Level level, String text) implements Event {
    public enum Level {
        DEBUG,
        INFO,
        WARN
    }

    public static Note info(String text) {
        return new Note(Level.INFO, text);
    }

    public static Note warn(String text) {
        return new Note(Level.WARN, text);
    }
}
