package io.thetalazy.kernels.predict;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.thetalazy.core.error.ErrorCode;
import io.thetalazy.core.error.FrameworkException;
import io.thetalazy.core.testing.TestNetworks;
import io.thetalazy.kernels.testing.Matrices;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

final class SpectraTest {
    static {
        TestNetworks.useDoublePrecision();
    }

    private static final double[] SPECTRUM = {3.5, 1e-3, 42, 0.25, 7, 1};

    @Test
    void eigenvaluesOfKnownSpectrumAreAscending() {
        INDArray a = Matrices.withSpectrum(SPECTRUM, 3);
        double[] values = Spectra.eigenvalues(a);
        assertThat(values).containsExactly(new double[] {1e-3, 0.25, 1, 3.5, 7, 42}, within(1e-12));
        assertThat(Spectra.lambdaMin(a)).isCloseTo(1e-3, within(1e-12));
        assertThat(Spectra.lambdaMax(a)).isCloseTo(42, within(1e-12));
        assertThat(Spectra.conditionNumber(a)).isCloseTo(42e3, within(1e-5));
    }

    @Test
    void eigenvectorsReconstructTheMatrixAndAreOrthonormal() {
        INDArray a = Matrices.withSpectrum(SPECTRUM, 5);
        INDArray copy = a.dup();
        Eigensystem eigen = Spectra.eigen(a);
        INDArray v = eigen.vectors();
        INDArray reconstructed = v.mulRowVector(eigen.values()).mmul(v.transpose());
        assertThat(Matrices.relativeError(reconstructed, a)).isLessThan(1e-13);
        assertThat(Matrices.relativeError(v.transpose().mmul(v), Nd4j.eye(6))).isLessThan(1e-13);
        assertThat(eigen.lambdaMin()).isCloseTo(1e-3, within(1e-12));
        assertThat(a.equalsWithEps(copy, 0)).as("input untouched").isTrue();
    }

    @Test
    void conditionNumberOfSingularMatrixIsInfinite() {
        INDArray a = Matrices.withSpectrum(new double[] {0, 1, 2}, 1);
        a.putScalar(0, 0, a.getDouble(0, 0) - 1e-6);
        assertThat(Spectra.conditionNumber(a)).isInfinite();
    }

    @Test
    void rejectsNonFiniteMatrix() {
        INDArray a = Nd4j.eye(3);
        a.putScalar(1, 1, Double.POSITIVE_INFINITY);
        assertThatThrownBy(() -> Spectra.eigenvalues(a))
                .isInstanceOf(FrameworkException.class)
                .satisfies(e -> assertThat(((FrameworkException) e).errorCode()).isEqualTo(ErrorCode.NON_FINITE_VALUE))
                .hasMessage("matrix contains NaN or infinite values");
    }

    @Test
    void rejectsNonSquareAndAsymmetricMatrices() {
        assertThatThrownBy(() -> Spectra.eigen(Nd4j.ones(2, 3)))
                .isInstanceOf(FrameworkException.class)
                .hasMessage("expected a non-empty square matrix [n, n], found [2, 3]");
        INDArray asymmetric = Nd4j.eye(3);
        asymmetric.putScalar(0, 1, 0.5);
        assertThatThrownBy(() -> Spectra.lambdaMin(asymmetric))
                .isInstanceOfSatisfying(FrameworkException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_KERNEL))
                .hasMessageStartingWith("matrix is not symmetric: |A - A^T|_F / |A|_F = 0.");
    }
}
