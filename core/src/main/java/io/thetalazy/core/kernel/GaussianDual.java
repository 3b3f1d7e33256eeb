package io.thetalazy.core.kernel;

import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The Gaussian dual of an activation phi: for (u, v) ~ N(0, [[c11, c12], [c12, c22]]),
 * {@code sigma = E phi(u) phi(v)} and {@code derivative = E phi'(u) phi'(v)}
 * (docs/theory.md#activations-and-gaussian-duals). Elementwise: the three arguments have one shape (callers broadcast
 * variances against the covariance), and so do the results, which are fresh arrays.
 */
public interface GaussianDual {
    /** Sigma = E phi(u) phi(v) entrywise, for variances c11, c22 and covariance c12 of one shape. */
    INDArray sigma(INDArray c11, INDArray c22, INDArray c12);

    /** D = E phi'(u) phi'(v) entrywise, for variances c11, c22 and covariance c12 of one shape. */
    INDArray derivative(INDArray c11, INDArray c22, INDArray c12);

    /**
     * Whether {@link #both} is implemented: the dense fused path ({@link DenseActivation}) then uses {@link #rows}
     * instead of the array methods.
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
        // called only where hasRows() is true (DenseStep.Activation checks it): reaching here is a bug in the dual
        throw new UnsupportedOperationException("no row form for this dual");
    }

    /**
     * An evaluator of Sigma and D along rows of a dense covariance, for one thread (it may keep per-variance work
     * between calls). The default fills a row of c11 and calls {@link #both}; duals whose per-entry work splits into a
     * per-row and a per-column part override it.
     */
    default Rows rows() {
        return (c11, root11, c22, root22, c12, sigma, derivative, from, to) -> {
            double[] row = new double[to];
            Arrays.fill(row, from, to, c11);
            both(row, c22, c12, sigma, derivative, from, to);
        };
    }

    /** Sigma and D along one row: one variance c11 against a variance c22[j] and a covariance c12[j] per column. */
    @FunctionalInterface
    interface Rows {
        /**
         * {@code sigma[j]} and {@code derivative[j]} for {@code from <= j < to}, bit for bit as {@link #sigma} and
         * {@link #derivative} compute them; arguments already checked (finite, non-negative variances).
         *
         * @param root11 {@code Math.sqrt(c11)}
         * @param root22 {@code Math.sqrt(c22[j])} at each j
         */
        void both(double c11, double root11, double[] c22, double[] root22, double[] c12, double[] sigma,
                double[] derivative, int from, int to);
    }

    /** Whether this dual is exact (closed form) or a quadrature approximation. */
    KernelRule rule();
}
