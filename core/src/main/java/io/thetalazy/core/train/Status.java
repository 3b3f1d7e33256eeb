package io.thetalazy.core.train;

/** How a training run ended; {@link #label()} is summary.json's spelling (docs/formats.md#summary). */
public enum Status {
    CONVERGED("converged"),
    STEP_BUDGET("step-budget"),
    TIME_BUDGET("time-budget"),
    DIVERGED("diverged"),
    NON_FINITE("non-finite");

    private final String label;

    Status(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    public boolean failed() {
        return this == DIVERGED || this == NON_FINITE;
    }
}
