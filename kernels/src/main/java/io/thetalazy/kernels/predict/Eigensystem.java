package io.thetalazy.kernels.predict;

import static io.thetalazy.core.error.ErrorCode.SHAPE_MISMATCH;
import static java.util.Objects.requireNonNull;

import io.thetalazy.core.error.FrameworkException;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The eigendecomposition A = V diag(lambda) V^T of a symmetric matrix [n, n].
 *
 * @param values the eigenvalues in ascending order, [n]
 * @param vectors the orthonormal eigenvectors as columns, in the same order, [n, n]
 */
public record Eigensystem(INDArray values, INDArray vectors) {
    /** Checks that both arrays are set. */
    public Eigensystem {
        requireNonNull(values, "values is null");
        requireNonNull(vectors, "vectors is null");
    }

    /** n. */
    public int size() {
        return (int) values.length();
    }

    /** The smallest eigenvalue. */
    public double lambdaMin() {
        return values.getDouble(0);
    }

    /** The largest eigenvalue. */
    public double lambdaMax() {
        return values.getDouble(values.length() - 1);
    }

    /** V diag(f(lambda)) V^T b for a vector or matrix b [n, k]: a spectral function applied to b. */
    public INDArray apply(double[] factors, INDArray b) {
        if (factors.length != size()) {
            throw new FrameworkException(SHAPE_MISMATCH, "need %d factors, found %d".formatted(size(), factors.length));
        }
        INDArray column = b.rank() == 1 ? b.reshape(b.length(), 1) : b;
        INDArray coefficients = vectors.transpose().mmul(column);
        INDArray scale = org.nd4j.linalg.factory.Nd4j.create(factors, new long[] {factors.length, 1}, values.dataType());
        return vectors.mmul(coefficients.muliColumnVector(scale));
    }

    @Override
    public String toString() {
        return "Eigensystem[n=%d, lambdaMin=%s, lambdaMax=%s]".formatted(size(), lambdaMin(), lambdaMax());
    }
}
