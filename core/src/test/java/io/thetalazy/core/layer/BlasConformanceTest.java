package io.thetalazy.core.layer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.eigen.Eigen;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The BLAS and LAPACK calls the framework makes, at the shapes and sizes its layers and kernels use, against
 * independent plain-Java computations. On a broken kernel set (OpenBLAS 0.3.19 with OPENBLAS_CORETYPE=Cooperlake or
 * SkylakeX on an AVX-512 CPU, run with -Dthetalazy.blas.check=false so the start-up check lets it through) the GEMM and
 * eigen cases fail; on every configuration the build chooses they pass.
 */
final class BlasConformanceTest {
    static {
        Numerics.useFloat64();
    }

    private static final double TOLERANCE = 1e-12;

    private static double[][] random(int rows, int columns, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[][] out = new double[rows][columns];
        for (double[] row : out) {
            for (int j = 0; j < columns; j++) {
                row[j] = random.nextDouble(-1, 1);
            }
        }
        return out;
    }

    private static double[][] transpose(double[][] a) {
        double[][] out = new double[a[0].length][a.length];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[0].length; j++) {
                out[j][i] = a[i][j];
            }
        }
        return out;
    }

    private static double[][] multiply(double[][] a, double[][] b) {
        double[][] out = new double[a.length][b[0].length];
        for (int i = 0; i < a.length; i++) {
            for (int p = 0; p < b.length; p++) {
                double aip = a[i][p];
                for (int j = 0; j < b[0].length; j++) {
                    out[i][j] += aip * b[p][j];
                }
            }
        }
        return out;
    }

    /** max |actual - expected| / max |expected|. */
    private static double relativeError(INDArray actual, double[][] expected) {
        double[][] got = actual.toDoubleMatrix();
        double error = 0;
        double scale = 0;
        for (int i = 0; i < expected.length; i++) {
            for (int j = 0; j < expected[0].length; j++) {
                error = Math.max(error, Math.abs(got[i][j] - expected[i][j]));
                scale = Math.max(scale, Math.abs(expected[i][j]));
            }
        }
        return error / scale;
    }

    /** alpha op(A) op(B) + beta C for op(A) [m, k], op(B) [k, n]: the products of Dense, Products and the kernels. */
    @ParameterizedTest(name = "[{0}, {1}] x [{1}, {2}] transA={3} transB={4} alpha={5} beta={6}")
    @CsvSource({
        "512, 512, 512, false, false, 1.0, 0.0",
        "512, 512, 512, true, false, 1.0, 0.0",
        "512, 512, 512, false, true, 1.0, 0.0",
        "512, 512, 512, true, true, 0.5, 1.0",
        "256, 256, 256, false, false, 1.0, 0.0",
        "256, 33, 512, false, true, 0.125, 0.0",
        "256, 512, 33, true, false, 1.0, 1.0",
        "384, 64, 300, false, false, -2.0, 0.5",
        "4, 40000, 1, true, true, 1.0, 0.0",
        "64, 17, 200, true, true, 1.0, 2.0"})
    void gemmMatchesPlainJava(int m, int k, int n, boolean transA, boolean transB, double alpha, double beta) {
        double[][] a = random(m, k, 1);
        double[][] b = random(k, n, 2);
        double[][] c0 = random(m, n, 3);
        INDArray left = Nd4j.createFromArray(transA ? transpose(a) : a);
        INDArray right = Nd4j.createFromArray(transB ? transpose(b) : b);
        INDArray viaNd4j = Nd4j.createFromArray(c0);
        Nd4j.gemm(left, right, viaNd4j, transA, transB, alpha, beta);
        INDArray direct = Nd4j.createFromArray(c0);
        Products.gemm(left, right, direct, transA, transB, alpha, beta);   // the layers' direct cblas_dgemm route

        double[][] expected = multiply(a, b);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                expected[i][j] = alpha * expected[i][j] + beta * c0[i][j];
            }
        }
        assertThat(relativeError(viaNd4j, expected)).as("Nd4j.gemm").isLessThan(TOLERANCE);
        assertThat(relativeError(direct, expected)).as("Products.gemm").isLessThan(TOLERANCE);
    }

    /**
     * A = V diag(lambda) V^T with orthonormal V, eigenvalues ascending, sum = trace: Spectra, rates, orthogonal init.
     */
    @ParameterizedTest(name = "n = {0}")
    @ValueSource(ints = {64, 300})
    void symmetricEigendecompositionReconstructsTheMatrix(int n) {
        double[][] x = random(n, n, 4);
        double[][] s = multiply(x, transpose(x));
        for (int i = 0; i < n; i++) {
            s[i][i] += 1;
        }
        INDArray vectors = Nd4j.createFromArray(s).dup('f');
        double[] values = Eigen.symmetricGeneralizedEigenvalues(vectors, true).toDoubleVector();
        double[][] v = vectors.toDoubleMatrix();

        double trace = 0;
        double sum = 0;
        for (int i = 0; i < n; i++) {
            trace += s[i][i];
            sum += values[i];
            if (i > 0) {
                assertThat(values[i]).isGreaterThanOrEqualTo(values[i - 1]);
            }
        }
        assertThat(values[0]).isGreaterThan(1 - 1e-9);
        assertThat(Math.abs(sum - trace) / trace).isLessThan(TOLERANCE);
        double[][] scaled = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                scaled[i][j] = v[i][j] * values[j];
            }
        }
        assertThat(relativeError(Nd4j.createFromArray(multiply(scaled, transpose(v))), s)).isLessThan(1e-11);
        double[][] identity = new double[n][n];
        for (int i = 0; i < n; i++) {
            identity[i][i] = 1;
        }
        assertThat(relativeError(Nd4j.createFromArray(multiply(transpose(v), v)), identity)).isLessThan(1e-11);
    }

    /**
     * potrf: the lower Cholesky factor L with L L^T = A for an SPD A (the 'f'-order route docs/numerics.md#broken-calls
     * prescribes).
     */
    @ParameterizedTest(name = "n = {0}")
    @ValueSource(ints = {32, 300})
    void choleskyFactorReconstructsTheMatrix(int n) {
        double[][] x = random(n, n, 5);
        double[][] s = multiply(x, transpose(x));
        for (int i = 0; i < n; i++) {
            s[i][i] += n;
        }
        INDArray factor = Nd4j.createFromArray(s).dup('f');
        Nd4j.getBlasWrapper().lapack().potrf(factor, true);
        double[][] l = factor.toDoubleMatrix();
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                l[i][j] = 0;   // the strict upper triangle is not part of the factor
            }
        }
        assertThat(relativeError(Nd4j.createFromArray(multiply(l, transpose(l))), s)).isLessThan(TOLERANCE);
    }

    /** geqrf: A = Q R with orthonormal Q and upper-triangular R. */
    @ParameterizedTest(name = "{0} x {1}")
    @CsvSource({"300, 300", "400, 128"})
    void qrFactorsReconstructTheMatrix(int rows, int columns) {
        double[][] a = random(rows, columns, 6);
        INDArray q = Nd4j.createFromArray(a).dup('f');
        INDArray r = Nd4j.create(DataType.DOUBLE, new long[] {columns, columns}, 'f');
        Nd4j.getBlasWrapper().lapack().geqrf(q, r);
        double[][] qm = q.toDoubleMatrix();
        double[][] rm = r.toDoubleMatrix();
        for (int i = 0; i < columns; i++) {
            for (int j = 0; j < i; j++) {
                assertThat(rm[i][j]).isZero();
            }
        }
        assertThat(relativeError(Nd4j.createFromArray(multiply(qm, rm)), a)).isLessThan(TOLERANCE);
        double[][] identity = new double[columns][columns];
        for (int i = 0; i < columns; i++) {
            identity[i][i] = 1;
        }
        assertThat(relativeError(Nd4j.createFromArray(multiply(transpose(qm), qm)), identity)).isLessThan(TOLERANCE);
    }
}
