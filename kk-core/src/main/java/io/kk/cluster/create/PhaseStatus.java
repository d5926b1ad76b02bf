package io.kk.cluster.create;

/**
 * What one phase will do in this run, shown before the plan and in the result.
 *
 * @param detail one line: what it does, or why it does not run
 */
public record PhaseStatus(Phase phase, State state, String detail) {

    public enum State {
        /** Its steps are in the plan. */
        RUNS,
        /** Nothing to do for this config (e.g. no registry host, etcd type kubeadm). */
        NOTHING_TO_DO,
        /** Without an artifact: its files come from the binary phase's downloads, so its host steps are planned then. */
        AFTER_DOWNLOAD,
        /** What it installs is not in the artifact (or work dir): a real run refuses to start. */
        MISSING_FILES,
        /** It needs kubeadm, which the work dir lacks: the run stops before it. */
        MISSING_KUBEADM;

        public String label() {
            return switch (this) {
                case RUNS -> "runs";
                case NOTHING_TO_DO -> "nothing to do";
                case AFTER_DOWNLOAD -> "after download";
                case MISSING_FILES -> "missing files";
                case MISSING_KUBEADM -> "stops here";
            };
        }
    }

    public String render() {
        return String.format(java.util.Locale.ROOT, "  %-12s %-15s %s", phase.label(), state.label(), detail);
    }
}
