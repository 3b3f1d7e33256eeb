package io.thetalazy.kernels.predict;

import static java.util.Objects.requireNonNull;

/**
 * A labelled loss-decay rate r: the prediction R_S(t) ~ exp(-r t) R_S(0), t in steps (docs/theory.md#rates). The three
 * rates are never to be confused: r_0 (empirical, at initialization), r_inf (infinite-width limit) and r_LLZ (our
 * reading of LLZ's bound, at most r_inf).
 *
 * @param label {@code r_0}, {@code r_inf} or {@code r_LLZ}
 * @param formula how it was computed, for reports
 * @param value the rate per step
 */
public record Rate(String label, String formula, double value) {
    /** The label of r_0. */
    public static final String EMPIRICAL = "r_0";
    /** The label of r_inf. */
    public static final String LIMIT = "r_inf";
    /** The label of r_LLZ. */
    public static final String LLZ = "r_LLZ";

    /** Checks that the label and the formula are set. */
    public Rate {
        requireNonNull(label, "label is null");
        requireNonNull(formula, "formula is null");
    }

    @Override
    public String toString() {
        return "%s = %.6g (%s)".formatted(label, value, formula);
    }
}
