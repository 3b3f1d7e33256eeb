package io.thetalazy.core.testing;

/** Named tolerances of the test suites (docs/theory.md#what-correct-means). */
public final class Tolerances {
    private Tolerances() {}

    /** Central finite differences against analytic gradients, float64. */
    public static final double GRADIENT_RELATIVE = 1e-6;
    /** Contracted tangent kernels against the explicit-gradient oracle. */
    public static final double ORACLE_RELATIVE = 1e-10;
    /** Closed-form duals against quadrature. */
    public static final double QUADRATURE = 1e-8;
    /** Trajectories of two parametrizations with the same kappa and mobilities, relative to R(0). */
    public static final double INVARIANCE = 1e-9;
    /** Allowed deviation of a Monte Carlo error slope from -1/2. */
    public static final double MONTE_CARLO_SLOPE = 0.15;
}
