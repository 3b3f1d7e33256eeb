package io.thetalazy.kernels.predict;

import static io.thetalazy.core.error.ErrorCode.INVALID_KERNEL;
import static io.thetalazy.core.error.ErrorCode.NON_FINITE_VALUE;
import static io.thetalazy.core.error.ErrorCode.SHAPE_MISMATCH;
import static java.util.Objects.requireNonNull;

import io.thetalazy.core.error.FrameworkException;
import io.thetalazy.core.layer.SmallArrays;
import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.eigen.Eigen;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Symmetric eigendecompositions of kernel matrices through LAPACK's symmetric solver
 * ({@code Eigen.symmetricGeneralizedEigenvalues} on an 'f'-order copy, which is accurate in ND4J 1.0.0-M2.1; the
 * general SVD and Cholesky of {@code Nd4j.linalg()} are not, docs/numerics.md#broken-calls). Inputs must be square,
 * finite and symmetric to {@link #SYMMETRY_TOLERANCE} (relative, Frobenius); they are symmetrized, (A + A^T)/2, and
 * never modified.
 */
public final class Spectra {
    /** Largest accepted |A - A^T|_F / |A|_F. */
    public static final double SYMMETRY_TOLERANCE = 1e-8;

    private Spectra() {}

    /** Eigenvalues ascending and orthonormal eigenvectors (columns) of a symmetric matrix [n, n]. */
    public static Eigensystem eigen(INDArray matrix) {
        INDArray vectors = symmetrized(matrix).dup('f');
        double[] values = Eigen.symmetricGeneralizedEigenvalues(vectors, true).toDoubleVector();
        int[] order = IntStream.range(0, values.length).boxed()
                .sorted(Comparator.comparingDouble(i -> values[i])).mapToInt(Integer::intValue).toArray();
        boolean sorted = IntStream.range(0, order.length).allMatch(i -> order[i] == i);
        double[] ascending = Arrays.stream(order).mapToDouble(i -> values[i]).toArray();
        INDArray columns = sorted ? vectors : vectors.getColumns(order);
        return new Eigensystem(Nd4j.create(ascending, new long[] {ascending.length}, matrix.dataType()),
                columns.dup('c'));
    }

    /**
     * The eigenvalues of a symmetric matrix in ascending order: up to order {@value Jacobi#MAX_ORDER} by Jacobi
     * rotations in plain Java (the n x n training kernel of a few points, at every step of an adaptive run), else by
     * LAPACK.
     */
    public static double[] eigenvalues(INDArray matrix) {
        checkSquare(matrix);
        int n = (int) matrix.size(0);
        if (n <= Jacobi.MAX_ORDER) {
            return Jacobi.eigenvalues(symmetrized(SmallArrays.values(matrix), n), n);
        }
        double[] values = Eigen.symmetricGeneralizedEigenvalues(symmetrized(matrix).dup('f'), false).toDoubleVector();
        Arrays.sort(values);
        return values;
    }

    /** (A + A^T)/2 of a row-major [n * n] after the checks of {@link #symmetrized(INDArray)}, in place. */
    static double[] symmetrized(double[] a, int n) {
        double squares = 0;
        double asymmetry = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double value = a[i * n + j];
                if (!Double.isFinite(value)) {
                    throw nonFinite();
                }
                double difference = value - a[j * n + i];
                squares += value * value;
                asymmetry += difference * difference;
            }
        }
        checkSymmetric(Math.sqrt(asymmetry), Math.sqrt(squares));
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                double mean = (a[i * n + j] + a[j * n + i]) * 0.5;
                a[i * n + j] = mean;
                a[j * n + i] = mean;
            }
        }
        return a;
    }

    /** lambda_min of a symmetric matrix [n, n]. */
    public static double lambdaMin(INDArray matrix) {
        return eigenvalues(matrix)[0];
    }

    /** lambda_max of a symmetric matrix [n, n]. */
    public static double lambdaMax(INDArray matrix) {
        double[] values = eigenvalues(matrix);
        return values[values.length - 1];
    }

    /** lambda_max / lambda_min; positive infinity when lambda_min &lt;= 0 (singular or indefinite). */
    public static double conditionNumber(INDArray matrix) {
        double[] values = eigenvalues(matrix);
        double min = values[0];
        return min > 0 ? values[values.length - 1] / min : Double.POSITIVE_INFINITY;
    }

    /** (A + A^T)/2 after checking A is square, finite and symmetric: fresh. */
    static INDArray symmetrized(INDArray matrix) {
        checkSquare(matrix);
        double sum = matrix.sumNumber().doubleValue();
        if (!Double.isFinite(sum) || !Double.isFinite(matrix.amaxNumber().doubleValue())) {
            throw nonFinite();
        }
        INDArray transpose = matrix.transpose();
        checkSymmetric(matrix.distance2(transpose), matrix.norm2Number().doubleValue());
        return matrix.add(transpose).muli(0.5);
    }

    private static void checkSquare(INDArray matrix) {
        requireNonNull(matrix, "matrix is null");
        if (matrix.rank() != 2 || matrix.size(0) != matrix.size(1) || matrix.size(0) == 0) {
            throw new FrameworkException(SHAPE_MISMATCH, "expected a non-empty square matrix [n, n], found "
                    + Arrays.toString(matrix.shape()));
        }
    }

    private static FrameworkException nonFinite() {
        return new FrameworkException(NON_FINITE_VALUE, "matrix contains NaN or infinite values");
    }

    private static void checkSymmetric(double asymmetry, double norm) {
        if (asymmetry > SYMMETRY_TOLERANCE * norm) {
            throw new FrameworkException(INVALID_KERNEL,
                    "matrix is not symmetric: |A - A^T|_F / |A|_F = %.3g exceeds %s"
                    .formatted(asymmetry / norm, SYMMETRY_TOLERANCE));
        }
    }
}
