package io.thetalazy.core.param;

/**
 * The regime predicted from the declared exponents (docs/theory.md#regimes); {@link #label()} is the card's spelling.
 */
public enum Regime {
    THETA_LAZY("theta-lazy"),
    W_LAZY("w-lazy"),
    CONDENSED("condensed"),
    CRITICAL("critical"),
    KAPPA_ORDER_ONE("kappa-order-one"),
    NO_PREDICTION("no-prediction"),
    NO_NORMALIZED_VIEW("no-normalized-view");

    private final String label;

    Regime(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** Tolerance for comparing declared exponents. */
    public static final double TOLERANCE = 1e-9;

    /** LXMZ's two-layer phase diagram in (gamma, gamma'). */
    public static Regime twoLayer(double gamma, double gammaPrime) {
        if (gamma < 1 - TOLERANCE) {
            return THETA_LAZY;
        }
        if (gammaPrime > gamma - 1 + TOLERANCE) {
            return W_LAZY;
        }
        if (gamma > 1 + TOLERANCE && gammaPrime < gamma - 1 - TOLERANCE) {
            return CONDENSED;
        }
        return CRITICAL;
    }

    /** LLZ's deep-network statement in the kappa exponent q. */
    public static Regime deep(double q) {
        if (q > TOLERANCE) {
            return THETA_LAZY;
        }
        if (q >= -TOLERANCE) {
            return KAPPA_ORDER_ONE;
        }
        return NO_PREDICTION;
    }
}
