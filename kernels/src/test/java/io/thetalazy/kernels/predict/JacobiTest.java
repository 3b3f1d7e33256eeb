package io.thetalazy.kernels.predict;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.thetalazy.core.testing.TestNetworks;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.eigen.Eigen;
import org.nd4j.linalg.factory.Nd4j;

final class JacobiTest {
    static {
        TestNetworks.useDoublePrecision();
    }

    /** A random symmetric matrix: Gaussian G, (G + G^T)/2, plus shift I (indefinite for shift 0). */
    private static double[] randomSymmetric(Random rng, int n, double shift) {
        double[] a = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double value = rng.nextGaussian() + (i == j ? shift : 0);
                a[i * n + j] = value;
                a[j * n + i] = value;
            }
        }
        return a;
    }

    private static double[] lapack(double[] a, int n) {
        INDArray matrix = Nd4j.create(a.clone(), new long[] {n, n}, 'c').dup('f');
        double[] values = Eigen.symmetricGeneralizedEigenvalues(matrix, false).toDoubleVector();
        Arrays.sort(values);
        return values;
    }

    private static double frobenius(double[] a) {
        return Math.sqrt(Arrays.stream(a).map(v -> v * v).sum());
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 7, 16, 32})
    void eigenvaluesMatchLapackOnRandomSymmetricMatrices(int n) {
        Random rng = new Random(n);
        for (double shift : new double[] {0, 3 * Math.sqrt(n)}) {
            double[] a = randomSymmetric(rng, n, shift);
            double[] expected = lapack(a, n);
            double scale = frobenius(a);
            double[] values = Jacobi.eigenvalues(a.clone(), n);
            assertThat(values).containsExactly(expected, within(1e-13 * scale));
        }
    }

    @Test
    void eigenvaluesOfTheSecondDifferenceMatrixMatchTheClosedForm() {
        int n = 20;
        double[] a = new double[n * n];
        for (int i = 0; i < n; i++) {
            a[i * n + i] = 2;
            if (i + 1 < n) {
                a[i * n + i + 1] = -1;
                a[(i + 1) * n + i] = -1;
            }
        }
        double[] values = Jacobi.eigenvalues(a.clone(), n);
        for (int k = 1; k <= n; k++) {
            assertThat(values[k - 1]).isCloseTo(2 - 2 * Math.cos(k * Math.PI / (n + 1)), within(1e-14 * frobenius(a)));
        }
    }

    @Test
    void repeatedAndZeroEigenvaluesOfALowRankKernel() {
        // X X^T for 6 points in 2 dimensions: rank 2, four zero eigenvalues (a kernel of few features)
        Random rng = new Random(9);
        int n = 6;
        double[][] x = new double[n][2];
        for (double[] row : x) {
            row[0] = rng.nextGaussian();
            row[1] = rng.nextGaussian();
        }
        double[] a = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                a[i * n + j] = x[i][0] * x[j][0] + x[i][1] * x[j][1];
            }
        }
        double[] expected = lapack(a, n);
        double[] values = Jacobi.eigenvalues(a.clone(), n);
        assertThat(values).containsExactly(expected, within(1e-13 * frobenius(a)));
        assertThat(Arrays.copyOf(values, 4)).containsExactly(new double[4], within(1e-13 * frobenius(a)));
        assertThat(values[4]).isPositive();
    }

    @Test
    void spectraTakesJacobiUpToItsOrderAndLapackAboveWithTheSameValues() {
        Random rng = new Random(4);
        for (int n : new int[] {Jacobi.MAX_ORDER, Jacobi.MAX_ORDER + 1}) {
            double[] a = randomSymmetric(rng, n, 0);
            double[] viaSpectra = Spectra.eigenvalues(Nd4j.create(a.clone(), new long[] {n, n}, 'c'));
            assertThat(viaSpectra).containsExactly(Jacobi.eigenvalues(a.clone(), n), within(1e-13 * frobenius(a)));
        }
    }
}
