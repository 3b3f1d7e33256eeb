package io.thetalazy.core.kernel;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The Gaussian dual of an activation phi: for (u, v) ~ N(0, [[c11, c12], [c12, c22]]),
 * {@code sigma = E phi(u) phi(v)} and {@code derivative = E phi'(u) phi'(v)} (DESIGN 1.3). Elementwise: the three
 * arguments have one shape (callers broadcast variances against the covariance), and so do the results, which are
 * fresh arrays.
 */
public interface GaussianDual {
    INDArray sigma(INDArray c11, INDArray c22, INDArray c12);

    INDArray derivative(INDArray c11, INDArray c22, INDArray c12);

    /**
     * Whether {@link #both} is implemented: the dense fused path ({@link DenseActivation}) then uses it instead of
     * the array methods.
     */
    default boolean hasRows() {
        return false;
    }

    /**
     * Sigma and D together on plain doubles, entries {@code from <= i < to}, bit for bit as {@link #sigma} and
     * {@link #derivative} compute them; arguments already checked (finite, non-negative variances).
     */
    default void both(double[] c11, double[] c22, double[] c12, double[] sigma, double[] derivative, int from,
            int to) {
        throw new UnsupportedOperationException("no row form for this dual");
    }

    /** Whether this dual is exact (closed form) or a quadrature approximation. */
    KernelRule rule();
}
