package io.kk.event;

/** Receives events. Implementations must be thread-safe: steps on several hosts emit at once. */
@FunctionalInterface
public interface EventSink {
    EventSink NONE = e -> {};

    void emit(Event event);
}
