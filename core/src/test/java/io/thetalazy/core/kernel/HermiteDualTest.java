package io.thetalazy.core.kernel;

import static io.thetalazy.core.kernel.DualsTest.derivative;
import static io.thetalazy.core.kernel.DualsTest.sigma;
import static io.thetalazy.core.kernel.GaussianPairs.grid;
import static io.thetalazy.core.kernel.GaussianPairs.vector;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.thetalazy.core.error.ErrorCode;
import io.thetalazy.core.error.FrameworkException;
import io.thetalazy.core.layer.Activation;
import io.thetalazy.core.layer.Activations;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

final class HermiteDualTest {
    @BeforeAll
    static void doublePrecision() {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    static Stream<Activation> smoothActivations() {
        return Stream.of(Activations.TANH, Activations.SIGMOID, Activations.GELU, Activations.SOFTPLUS);
    }

    @ParameterizedTest
    @MethodSource("smoothActivations")
    void defaultOrderAgreesWithTwiceTheOrder(Activation activation) {
        double[][] grid = grid(new double[] {0.5, 1, 1.5}, new double[] {-1, -0.999, -0.6, 0, 0.3, 0.9, 0.9999, 1});
        DualsTest.assertDualsAgree(Duals.quadrature(activation, Duals.DEFAULT_ORDER),
                Duals.quadrature(activation, 2 * Duals.DEFAULT_ORDER), grid, 1e-8);
    }

    @ParameterizedTest
    @MethodSource("smoothActivations")
    void matchesMonteCarlo(Activation activation) {
        double[][] covariances = {{1, 1, 0.7}, {0.6, 1.8, -0.9}};
        GaussianDual dual = Duals.quadrature(activation, Duals.DEFAULT_ORDER);
        for (double[] c : covariances) {
            double[][] point = {{c[0]}, {c[1]}, {c[2]}};
            GaussianPairs.Estimate sigma = GaussianPairs.monteCarlo(activation::value, activation::value, c[0], c[1],
                    c[2], 1_000_000, 11);
            GaussianPairs.Estimate derivative = GaussianPairs.monteCarlo(activation::slope, activation::slope, c[0],
                    c[1], c[2], 1_000_000, 12);
            assertThat(sigma(dual, point)[0]).as("Sigma at %s", java.util.Arrays.toString(c))
                    .isCloseTo(sigma.mean(), within(4 * sigma.standardError()));
            assertThat(derivative(dual, point)[0]).as("D at %s", java.util.Arrays.toString(c))
                    .isCloseTo(derivative.mean(), within(4 * derivative.standardError()));
        }
    }

    @ParameterizedTest
    @MethodSource("smoothActivations")
    void matchesTheTensorProductGaussHermiteRule(Activation activation) {
        // The plain two-dimensional rule: u = sqrt(c11) z_i, v = sqrt(c22)(rho z_i + sqrt(1 - rho^2) z_j).
        double[][] grid = grid(new double[] {0.7, 1.3}, new double[] {-0.95, -0.2, 0.5, 0.99});
        double[] sigma = sigma(Duals.quadrature(activation, Duals.DEFAULT_ORDER), grid);
        double[] derivative = derivative(Duals.quadrature(activation, Duals.DEFAULT_ORDER), grid);
        GaussHermite rule = GaussHermite.of(150);
        for (int n = 0; n < sigma.length; n++) {
            double s11 = Math.sqrt(grid[0][n]);
            double s22 = Math.sqrt(grid[1][n]);
            double rho = grid[2][n] / (s11 * s22);
            double across = Math.sqrt(1 - rho * rho);
            double tensorSigma = 0;
            double tensorDerivative = 0;
            for (int i = 0; i < rule.order(); i++) {
                for (int j = 0; j < rule.order(); j++) {
                    double u = s11 * rule.node(i);
                    double v = s22 * (rho * rule.node(i) + across * rule.node(j));
                    double weight = rule.weight(i) * rule.weight(j);
                    tensorSigma += weight * activation.value(u) * activation.value(v);
                    tensorDerivative += weight * activation.slope(u) * activation.slope(v);
                }
            }
            assertThat(sigma[n]).isCloseTo(tensorSigma, within(1e-11));
            assertThat(derivative[n]).isCloseTo(tensorDerivative, within(1e-10));
        }
    }

    @Test
    void variancesOfOddActivationsMatchOneDimensionalQuadrature() {
        // rho = 1, c11 = c22: E tanh(u)^2 from a fine one-dimensional rule.
        GaussHermite fine = GaussHermite.of(800);
        for (double c : new double[] {0.3, 1, 2}) {
            double expected = fine.expectation(z -> Math.pow(Math.tanh(Math.sqrt(c) * z), 2));
            double[][] point = {{c}, {c}, {c}};
            assertThat(sigma(Activations.TANH.dual(), point)[0]).isCloseTo(expected, within(1e-10));
        }
    }

    @Test
    void largeArraysGiveTheSameEntriesAsSmallOnes() {
        // 200 x 200 = 40000 entries run in parallel ranges; each row alone runs on one thread. Same numbers.
        int n = 200;
        INDArray variances = Nd4j.rand(DataType.DOUBLE, n).addi(0.5);
        INDArray c11 = variances.reshape(n, 1).repeat(1, n);
        INDArray c22 = variances.reshape(1, n).repeat(0, n);
        INDArray c12 = Nd4j.rand(DataType.DOUBLE, n, n).subi(0.5).muli(c11);
        GaussianDual dual = Duals.quadrature(Activations.GELU, 30);
        double[][] whole = dual.sigma(c11, c22, c12).toDoubleMatrix();
        for (int row = 0; row < n; row++) {
            double[] alone = dual.sigma(c11.getRow(row).dup(), c22.getRow(row).dup(), c12.getRow(row).dup())
                    .toDoubleVector();
            assertThat(whole[row]).as("row %d", row).isEqualTo(alone);
        }
    }

    @Test
    void builtInSmoothActivationsUseTheDefaultOrder() {
        assertThat(Activations.TANH.dual()).isInstanceOfSatisfying(HermiteDual.class, dual -> {
            assertThat(dual.order()).isEqualTo(Duals.DEFAULT_ORDER);
            assertThat(dual.activation()).isEqualTo(Activations.TANH);
            assertThat(dual.rule()).isEqualTo(KernelRule.QUADRATURE);
        });
    }

    @Test
    void rejectsNonFiniteResults() {
        // phi(z) = exp(z^4) overflows at the outer nodes: its coefficients are NaN.
        Activation explosive = new Explosive();
        assertThatThrownBy(() -> Duals.quadrature(explosive, 20).sigma(vector(1), vector(1), vector(0.5)))
                .isInstanceOfSatisfying(FrameworkException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.NON_FINITE_VALUE))
                .hasMessage("Sigma of the explosive dual (Gauss-Hermite, order 20) is NaN at entry [0]"
                        + " (c11 = 1.0, c22 = 1.0, c12 = 0.5)");
    }

    @Test
    void rejectsOrdersOutOfRange() {
        assertThatThrownBy(() -> Duals.quadrature(Activations.TANH, 0))
                .isInstanceOfSatisfying(FrameworkException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                .hasMessage("quadrature order must be in [1, 1000], found 0");
        assertThatThrownBy(() -> Duals.quadrature(Activations.TANH, 1001))
                .isInstanceOfSatisfying(FrameworkException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                .hasMessage("quadrature order must be in [1, 1000], found 1001");
        assertThatThrownBy(() -> Duals.quadrature(null, 10)).isInstanceOf(NullPointerException.class)
                .hasMessage("activation is null");
    }

    /** phi(z) = exp(z^4): a fake whose Gaussian moments diverge. */
    private record Explosive() implements Activation {
        @Override public String name() { return "explosive"; }
        @Override public INDArray apply(INDArray z) { throw new UnsupportedOperationException(); }
        @Override public INDArray derivative(INDArray z) { throw new UnsupportedOperationException(); }
        @Override public double value(double z) { return Math.exp(z * z * z * z); }
        @Override public double slope(double z) { return 4 * z * z * z * Math.exp(z * z * z * z); }
        @Override public boolean homogeneous() { return false; }
        @Override public GaussianDual dual() { return Duals.quadrature(this, 20); }
    }
}
