package io.kk.plan;

/**
 * The result of one action on one host.
 *
 * @param detail a short, secret-free note for the user (may be empty)
 */
public record ActionResult(Outcome outcome, String detail) {
    public ActionResult {
        detail = detail == null ? "" : detail;
    }

    public static ActionResult changed(String detail) {
        return new ActionResult(Outcome.CHANGED, detail);
    }

    public static ActionResult unchanged(String detail) {
        return new ActionResult(Outcome.UNCHANGED, detail);
    }

    public static ActionResult skipped(String detail) {
        return new ActionResult(Outcome.SKIPPED, detail);
    }

    public static ActionResult changed() {
        return changed("");
    }

    public static ActionResult unchanged() {
        return unchanged("");
    }

    /** CHANGED when {@code changed}, else UNCHANGED. */
    public static ActionResult of(boolean changed, String detail) {
        return changed ? changed(detail) : unchanged(detail);
    }
}
