package io.kk.event;

/**
 * Something that happened inside the core which a user may want to see: progress, a step's result,
 * a note. The core never prints; it emits events and the CLI renders them.
 */
public interface Event {}
