package io.kk.plan;

/** What an action did on one host. */
public enum Outcome {
    /** The host was changed. */
    CHANGED,
    /** The host was already as wanted; nothing was done. */
    UNCHANGED,
    /** The action did not apply to this host (its precondition was not met). */
    SKIPPED,
    /** The action failed; the host does no more work in this run. */
    FAILED;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
