package io.thetalazy.core.train;

/** How a training run ended; {@link #label()} is summary.json's spelling (docs/formats.md#summary). */
public enum Status {
    /** R_S fell below the loss tolerance. */
    CONVERGED("converged"),
    /** The step budget ran out first. */
    STEP_BUDGET("step-budget"),
    /** The wall-clock budget ran out first. */
    TIME_BUDGET("time-budget"),
    /** R_S exceeded the divergence factor times R_S(0) (after any restarts allowed). */
    DIVERGED("diverged"),
    /** The loss became NaN or infinite. */
    NON_FINITE("non-finite");

    private final String label;

    Status(String label) {
        this.label = label;
    }

    /** summary.json's spelling: {@code converged}, {@code step-budget}, ... */
    public String label() {
        return label;
    }

    /** Whether the run failed (diverged or non-finite) rather than stopped on a budget or converged. */
    public boolean failed() {
        return this == DIVERGED || this == NON_FINITE;
    }
}
