package io.thetalazy.core.kernel;

import static io.thetalazy.core.kernel.GaussianPairs.circleAverage;
import static io.thetalazy.core.kernel.GaussianPairs.grid;
import static io.thetalazy.core.kernel.GaussianPairs.vector;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.thetalazy.core.error.ErrorCode;
import io.thetalazy.core.error.FrameworkException;
import io.thetalazy.core.layer.Activations;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

final class DualsTest {
    /** Variances and correlations of the closed-form checks: unequal variances, correlations up to +-1. */
    private static final double[][] GRID = grid(new double[] {0.25, 0.5, 1, 2},
            new double[] {-1, -0.9999, -0.7, 0, 0.4, 0.95, 0.999999, 1});

    @BeforeAll
    static void doublePrecision() {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    @Test
    void erfClosedFormMatchesQuadrature() {
        assertDualsAgree(Duals.erf(), Duals.quadrature(Activations.ERF, Duals.DEFAULT_ORDER), GRID, 1e-8);
    }

    @Test
    void linearClosedFormMatchesQuadrature() {
        assertDualsAgree(Duals.linear(), Duals.quadrature(Activations.LINEAR, Duals.DEFAULT_ORDER), GRID, 1e-12);
    }

    @ParameterizedTest
    @ValueSource(doubles = {0, 0.01, 0.2, -0.5, 1, 3})
    void leakyReluClosedFormMatchesCircleAverage(double slope) {
        GaussianDual dual = slope == 0 ? Duals.relu() : Duals.leakyRelu(slope);
        DoubleUnaryOperator phi = z -> z > 0 ? z : slope * z;
        DoubleUnaryOperator phiPrime = z -> z > 0 ? 1 : slope;
        double[][] grid = grid(new double[] {0.3, 1, 2.5}, new double[] {-1, -0.99, -0.3, 0, 0.5, 0.999, 1});
        double[] sigma = sigma(dual, grid);
        double[] derivative = derivative(dual, grid);
        for (int i = 0; i < sigma.length; i++) {
            double c11 = grid[0][i];
            double c22 = grid[1][i];
            double c12 = grid[2][i];
            assertThat(sigma[i]).as("Sigma at (%s, %s, %s)", c11, c22, c12)
                    .isCloseTo(circleAverage(phi, phi, 1, c11, c22, c12), within(1e-10));
            assertThat(derivative[i]).as("D at (%s, %s, %s)", c11, c22, c12)
                    .isCloseTo(circleAverage(phiPrime, phiPrime, 0, c11, c22, c12), within(1e-10));
        }
    }

    @Test
    void reluClosedFormMatchesMonteCarlo() {
        DoubleUnaryOperator relu = z -> Math.max(z, 0);
        DoubleUnaryOperator step = z -> z > 0 ? 1 : 0;
        double[][] covariances = {{1, 1, 0.6}, {0.5, 2, -0.9}, {3, 0.7, 1.4}};
        for (double[] c : covariances) {
            double[][] point = {{c[0]}, {c[1]}, {c[2]}};
            GaussianPairs.Estimate sigma = GaussianPairs.monteCarlo(relu, relu, c[0], c[1], c[2], 200_000, 7);
            GaussianPairs.Estimate derivative = GaussianPairs.monteCarlo(step, step, c[0], c[1], c[2], 200_000, 8);
            assertThat(sigma(Duals.relu(), point)[0]).isCloseTo(sigma.mean(), within(5 * sigma.standardError()));
            assertThat(derivative(Duals.relu(), point)[0])
                    .isCloseTo(derivative.mean(), within(5 * derivative.standardError()));
        }
    }

    @Test
    void reluClosedFormHasKnownValues() {
        // Unit variances: Sigma(rho = 1) = 1/2, Sigma(0) = 1/(2 pi), Sigma(-1) = 0; D = 1/2, 1/4, 0.
        double[][] points = {{1, 1, 1}, {1, 1, 1}, {1, 0, -1}};
        assertThat(sigma(Duals.relu(), points)).containsExactly(new double[] {0.5, 1 / (2 * Math.PI), 0},
                within(1e-15));
        assertThat(derivative(Duals.relu(), points)).containsExactly(new double[] {0.5, 0.25, 0}, within(1e-15));
    }

    @Test
    void leakyReluWithSlopeZeroIsReluAndWithSlopeOneIsLinear() {
        assertDualsAgree(Duals.leakyRelu(0), Duals.relu(), GRID, 1e-15);
        assertDualsAgree(Duals.leakyRelu(1), Duals.linear(), GRID, 1e-14);
    }

    @ParameterizedTest
    @ValueSource(strings = {"relu", "leaky-relu", "erf", "linear"})
    void derivativeIsTheCovarianceDerivativeOfSigma(String name) {
        // Price's theorem: dSigma/dc12 = E phi'(u) phi'(v) = D, away from rho = +-1.
        GaussianDual dual = switch (name) {
            case "relu" -> Duals.relu();
            case "leaky-relu" -> Duals.leakyRelu(0.2);
            case "erf" -> Duals.erf();
            default -> Duals.linear();
        };
        double h = 1e-5;
        double[][] grid = grid(new double[] {0.5, 1, 3}, new double[] {-0.8, -0.2, 0, 0.3, 0.9});
        double[][] up = {grid[0], grid[1], grid[2].clone()};
        double[][] down = {grid[0], grid[1], grid[2].clone()};
        for (int i = 0; i < grid[2].length; i++) {
            up[2][i] += h;
            down[2][i] -= h;
        }
        double[] plus = sigma(dual, up);
        double[] minus = sigma(dual, down);
        double[] derivative = derivative(dual, grid);
        for (int i = 0; i < derivative.length; i++) {
            assertThat(derivative[i]).isCloseTo((plus[i] - minus[i]) / (2 * h), within(1e-8));
        }
    }

    @Test
    void zeroVarianceGivesTheIndependentValue() {
        double[][] points = {{0, 2}, {2, 0}, {0, 0}};
        assertThat(sigma(Duals.relu(), points)).containsExactly(0, 0);
        assertThat(sigma(Duals.erf(), points)).containsExactly(0, 0);
        assertThat(derivative(Duals.relu(), points)).containsExactly(0.25, 0.25);
        assertThat(derivative(Duals.erf(), points)).containsExactly(new double[] {4 / Math.PI / Math.sqrt(5),
            4 / Math.PI / Math.sqrt(5)}, within(1e-15));
    }

    @Test
    void correlationsPastOneAreClipped() {
        double[][] over = {{1, 4}, {1, 0.25}, {1 + 1e-9, -1 - 1e-9}};
        double[][] exact = {{1, 4}, {1, 0.25}, {1, -1}};
        for (GaussianDual dual : new GaussianDual[] {Duals.relu(), Duals.leakyRelu(0.1), Duals.erf()}) {
            assertThat(sigma(dual, over)).containsExactly(sigma(dual, exact));
            assertThat(derivative(dual, over)).containsExactly(derivative(dual, exact));
        }
    }

    @Test
    void closedFormsDeclareTheirRule() {
        assertThat(Duals.relu().rule()).isEqualTo(KernelRule.CLOSED_FORM);
        assertThat(Duals.leakyRelu(0.1).rule()).isEqualTo(KernelRule.CLOSED_FORM);
        assertThat(Duals.linear().rule()).isEqualTo(KernelRule.CLOSED_FORM);
        assertThat(Duals.erf().rule()).isEqualTo(KernelRule.CLOSED_FORM);
        assertThat(Duals.quadrature(Activations.TANH, 20).rule()).isEqualTo(KernelRule.QUADRATURE);
    }

    @Test
    void worksEntrywiseOnRankFourArrays() {
        long[] shape = {2, 3, 4, 5};
        INDArray c11 = Nd4j.rand(DataType.DOUBLE, shape).addi(0.1);
        INDArray c22 = Nd4j.rand(DataType.DOUBLE, shape).addi(0.1);
        INDArray c12 = Nd4j.rand(DataType.DOUBLE, shape).subi(0.5).muli(2).muli(c11).muli(c22);
        c12 = c12.div(org.nd4j.linalg.ops.transforms.Transforms.sqrt(c11.mul(c22)));
        for (GaussianDual dual : new GaussianDual[] {Duals.relu(), Duals.erf(), Duals.linear(),
            Duals.quadrature(Activations.TANH, 30)}) {
            INDArray sigma = dual.sigma(c11, c22, c12);
            INDArray derivative = dual.derivative(c11, c22, c12);
            assertThat(sigma.shape()).containsExactly(shape);
            assertThat(sigma.dataType()).isEqualTo(DataType.DOUBLE);
            double[] flatSigma = dual.sigma(flat(c11), flat(c22), flat(c12)).toDoubleVector();
            double[] flatDerivative = dual.derivative(flat(c11), flat(c22), flat(c12)).toDoubleVector();
            assertThat(flat(sigma).toDoubleVector()).containsExactly(flatSigma);
            assertThat(flat(derivative).toDoubleVector()).containsExactly(flatDerivative);
            assertThat(sigma.getDouble(1, 2, 3, 4))
                    .isEqualTo(dual.sigma(scalar(c11, 1, 2, 3, 4), scalar(c22, 1, 2, 3, 4), scalar(c12, 1, 2, 3, 4))
                            .getDouble(0));
        }
    }

    @Test
    void readsViewsAndOtherOrderings() {
        INDArray c11 = Nd4j.rand(DataType.DOUBLE, 4, 6).addi(0.5);
        INDArray c22 = Nd4j.rand(DataType.DOUBLE, 6, 4).addi(0.5).transpose();
        INDArray c12 = Nd4j.rand(DataType.DOUBLE, 4, 6).muli(0.3);
        INDArray fOrder = c12.dup('f');
        INDArray sub = Nd4j.rand(DataType.DOUBLE, 8, 6).get(org.nd4j.linalg.indexing.NDArrayIndex.interval(2, 6),
                org.nd4j.linalg.indexing.NDArrayIndex.all()).muli(0.3);
        for (GaussianDual dual : new GaussianDual[] {Duals.relu(), Duals.quadrature(Activations.TANH, 30)}) {
            INDArray expected = dual.sigma(c11, c22.dup('c'), c12);
            assertThat(dual.sigma(c11, c22, fOrder).toDoubleMatrix()).isDeepEqualTo(expected.toDoubleMatrix());
            assertThat(dual.sigma(c11, c22, sub).toDoubleMatrix())
                    .isDeepEqualTo(dual.sigma(c11, c22.dup('c'), sub.dup('c')).toDoubleMatrix());
        }
    }

    @Test
    void leavesItsArgumentsUntouched() {
        INDArray c11 = Nd4j.rand(DataType.DOUBLE, 3, 5).addi(0.5);
        INDArray c22 = Nd4j.rand(DataType.DOUBLE, 3, 5).addi(0.5);
        INDArray c12 = Nd4j.rand(DataType.DOUBLE, 3, 5).muli(0.4);
        double[][] before11 = c11.toDoubleMatrix();
        double[][] before22 = c22.toDoubleMatrix();
        double[][] before12 = c12.toDoubleMatrix();
        for (GaussianDual dual : new GaussianDual[] {Duals.relu(), Duals.leakyRelu(0.3), Duals.erf(), Duals.linear(),
            Duals.quadrature(Activations.GELU, 20)}) {
            INDArray sigma = dual.sigma(c11, c22, c12);
            INDArray derivative = dual.derivative(c11, c22, c12);
            assertThat(sigma).isNotSameAs(c12).isNotSameAs(c11);
            assertThat(derivative).isNotSameAs(c12).isNotSameAs(c11);
            sigma.addi(100);
            assertThat(c11.toDoubleMatrix()).isDeepEqualTo(before11);
            assertThat(c22.toDoubleMatrix()).isDeepEqualTo(before22);
            assertThat(c12.toDoubleMatrix()).isDeepEqualTo(before12);
        }
    }

    @Test
    void rejectsNonFiniteCovariances() {
        INDArray ones = Nd4j.ones(DataType.DOUBLE, 2, 3);
        INDArray withNan = ones.dup();
        withNan.putScalar(1, 2, Double.NaN);
        assertThatThrownBy(() -> Duals.relu().sigma(ones, ones, withNan))
                .isInstanceOfSatisfying(FrameworkException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.NON_FINITE_VALUE))
                .hasMessage("Sigma of the relu dual needs finite covariances, found c11 = 1.0, c22 = 1.0, c12 = NaN"
                        + " at entry [1, 2]");
        INDArray withInfinity = ones.dup();
        withInfinity.putScalar(0, 1, Double.POSITIVE_INFINITY);
        assertThatThrownBy(() -> Duals.quadrature(Activations.TANH, 10).derivative(withInfinity, ones, ones))
                .isInstanceOfSatisfying(FrameworkException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.NON_FINITE_VALUE))
                .hasMessageContaining("c11 = Infinity").hasMessageContaining("at entry [0, 1]");
    }

    @Test
    void rejectsNegativeVariances() {
        assertThatThrownBy(() -> Duals.erf().sigma(vector(1, -0.5), vector(1, 1), vector(0, 0)))
                .isInstanceOfSatisfying(FrameworkException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.NON_FINITE_VALUE))
                .hasMessage("Sigma of the erf dual needs non-negative variances, found c11 = -0.5, c22 = 1.0"
                        + " at entry [1]");
    }

    @Test
    void rejectsArgumentsOfDifferentShapes() {
        assertThatThrownBy(() -> Duals.relu().derivative(Nd4j.ones(DataType.DOUBLE, 2, 3),
                Nd4j.ones(DataType.DOUBLE, 3, 2), Nd4j.ones(DataType.DOUBLE, 2, 3)))
                .isInstanceOfSatisfying(FrameworkException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.SHAPE_MISMATCH))
                .hasMessage("D of the relu dual needs c11, c22 and c12 of one shape, found [2, 3], [3, 2] and [2, 3]");
    }

    @Test
    void rejectsNonFiniteSlope() {
        assertThatThrownBy(() -> Duals.leakyRelu(Double.NaN))
                .isInstanceOfSatisfying(FrameworkException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.NON_FINITE_VALUE))
                .hasMessage("leaky-relu slope must be finite, found NaN");
    }

    static void assertDualsAgree(GaussianDual actual, GaussianDual expected, double[][] grid, double tolerance) {
        double[] sigma = sigma(actual, grid);
        double[] sigmaExpected = sigma(expected, grid);
        double[] derivative = derivative(actual, grid);
        double[] derivativeExpected = derivative(expected, grid);
        for (int i = 0; i < sigma.length; i++) {
            assertThat(sigma[i]).as("Sigma at (%s, %s, %s)", grid[0][i], grid[1][i], grid[2][i])
                    .isCloseTo(sigmaExpected[i], within(tolerance));
            assertThat(derivative[i]).as("D at (%s, %s, %s)", grid[0][i], grid[1][i], grid[2][i])
                    .isCloseTo(derivativeExpected[i], within(tolerance));
        }
    }

    static double[] sigma(GaussianDual dual, double[][] grid) {
        return dual.sigma(vector(grid[0]), vector(grid[1]), vector(grid[2])).toDoubleVector();
    }

    static double[] derivative(GaussianDual dual, double[][] grid) {
        return dual.derivative(vector(grid[0]), vector(grid[1]), vector(grid[2])).toDoubleVector();
    }

    private static INDArray flat(INDArray array) {
        return array.dup('c').reshape(array.length());
    }

    private static INDArray scalar(INDArray array, long... index) {
        return vector(array.getDouble(index));
    }
}
