package io.kk.event;

/**
 * Progress of one task measured in some unit (bytes, files, images). A task starts with {@code
 * done == 0} and always ends with an event where {@code finished} is true, so a bar reaches its end
 * even when work was skipped.
 *
 * @param task a stable id for the bar, e.g. "export/images"
 * @param label what the user sees
 * @param unit "B" for bytes (rendered as KiB/MiB), or a noun such as "images"
 * @param done units done so far
 * @param total units expected, -1 when unknown
 * @param finished true on the last event of the task
 */
public record Progress(String task, String label, String unit, long done, long total, boolean finished)
        implements Event {}
