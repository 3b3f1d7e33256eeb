package io.thetalazy.core.param;

/**
 * The regime predicted from the declared exponents (docs/theory.md#regimes); {@link #label()} is the card's spelling.
 */
public enum Regime {
    /** Every parameter stays near its initialization: gamma &lt; 1 at depth 1 [LXMZ], q &gt; 0 deeper [LLZ]. */
    THETA_LAZY("theta-lazy"),
    /**
     * Two layers, gamma &gt;= 1 and gamma' &gt; gamma - 1: the input weights stay near initialization, the network as
     * a whole need not (LXMZ's w-lazy area).
     */
    W_LAZY("w-lazy"),
    /** Two layers, gamma &gt; 1 and gamma' &lt; gamma - 1: the input weights move far and condense. */
    CONDENSED("condensed"),
    /** Two layers on the boundary gamma = 1 + max(0, gamma'). */
    CRITICAL("critical"),
    /** Depth 2 or more with q = 0: LLZ's sufficient condition does not hold; the mobilities decide. */
    KAPPA_ORDER_ONE("kappa-order-one"),
    /** Depth 2 or more with q &lt; 0. */
    NO_PREDICTION("no-prediction"),
    /** A gain kept inside depends on m: there is no normalized view to predict from. */
    NO_NORMALIZED_VIEW("no-normalized-view");

    private final String label;

    Regime(String label) {
        this.label = label;
    }

    /** The card's spelling: {@code theta-lazy}, {@code w-lazy}, ... */
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
