package io.thetalazy.core.kernel;

/** The array-level forms of a closed-form dual, for tests that compare them entry by entry. */
final class EntrywiseForms {
    private EntrywiseForms() {}

    static void sigma(GaussianDual dual, double[] c11, double[] c22, double[] c12, double[] into) {
        System.arraycopy(dual.sigma(GaussianPairs.vector(c11), GaussianPairs.vector(c22), GaussianPairs.vector(c12))
                .toDoubleVector(), 0, into, 0, c12.length);
    }

    static void derivative(GaussianDual dual, double[] c11, double[] c22, double[] c12, double[] into) {
        System.arraycopy(dual.derivative(GaussianPairs.vector(c11), GaussianPairs.vector(c22),
                GaussianPairs.vector(c12)).toDoubleVector(), 0, into, 0, c12.length);
    }

    static void both(GaussianDual dual, double[] c11, double[] c22, double[] c12, double[] sigma, double[] derivative) {
        dual.both(c11, c22, c12, sigma, derivative, 0, c12.length);
    }
}
