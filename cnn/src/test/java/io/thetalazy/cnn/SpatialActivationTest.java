package io.thetalazy.cnn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thetalazy.core.error.ErrorCode;
import io.thetalazy.core.error.FrameworkException;
import io.thetalazy.core.kernel.Duals;
import io.thetalazy.core.kernel.GaussianDual;
import io.thetalazy.core.kernel.KernelState;
import io.thetalazy.core.testing.ArrayOnlyDual;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

final class SpatialActivationTest {
    private static final int N1 = 4;
    private static final int N2 = 3;
    private static final int CHANNELS = 3;
    private static final long[] SPATIAL = {3, 2};
    private static final int P = 6;

    @BeforeAll
    static void doublePrecision() {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    static Stream<Arguments> cases() {
        Stream.Builder<Arguments> all = Stream.builder();
        for (boolean full : new boolean[] {false, true}) {
            for (GaussianDual dual : List.of(Duals.relu(), Duals.leakyRelu(0.2), Duals.erf(), Duals.linear())) {
                all.add(Arguments.of(full, dual));
            }
        }
        return all.build();
    }

    @ParameterizedTest
    @MethodSource("cases")
    void streamedRuleMatchesTheArrayMethodsBitForBit(boolean full, GaussianDual dual) {
        KernelState input = state(full, 11);
        INDArray other = Nd4j.rand(DataType.DOUBLE, input.nngp().shape());
        INDArray another = Nd4j.rand(DataType.DOUBLE, input.nngp().shape());
        KernelState state = input.addLayer(other).addLayer(another).addLayer(other);
        INDArray[] expected = expected(dual, state, full);
        INDArray nngpBefore = state.nngp().dup();
        INDArray otherBefore = other.dup();
        INDArray anotherBefore = another.dup();
        assertThat(SpatialActivation.applies(dual, state)).isTrue();

        KernelState copied = SpatialActivation.apply(dual, state);
        assertSame(state.nngp(), nngpBefore);
        assertSame(other, otherBefore);
        check(copied, expected, otherBefore, anotherBefore);
        assertThat(copied.nngp()).isNotSameAs(state.nngp());

        KernelState inPlace = SpatialActivation.apply(dual, state.released());
        check(inPlace, expected, otherBefore, anotherBefore);
        assertThat(inPlace.nngp()).isSameAs(state.nngp());
        assertThat(inPlace.layer(1)).isSameAs(other).isSameAs(inPlace.layer(3));
        assertThat(inPlace.layer(2)).isSameAs(another);
    }

    @ParameterizedTest
    @MethodSource("cases")
    void aComponentThatIsTheCovarianceIsNeverOverwritten(boolean full, GaussianDual dual) {
        KernelState input = state(full, 12);
        KernelState state = input.addLayer(input.nngp());
        INDArray[] expected = expected(dual, state, full);
        INDArray nngpBefore = state.nngp().dup();
        KernelState out = SpatialActivation.apply(dual, state.released());
        assertSame(out.nngp(), expected[0]);
        assertSame(out.layer(1), nngpBefore.mul(expected[1]));
        assertSame(state.nngp(), nngpBefore);
    }

    @Test
    void appliesOnlyToSpatialStatesWithARowForm() {
        KernelState diagonal = state(false, 13);
        assertThat(SpatialActivation.applies(Duals.relu(), diagonal)).isTrue();
        assertThat(SpatialActivation.applies(new ArrayOnlyDual(Duals.relu()), diagonal)).isFalse();
        INDArray x = Nd4j.rand(DataType.DOUBLE, 5, 3);
        assertThat(SpatialActivation.applies(Duals.relu(), KernelState.ofInputs(x, x))).isFalse();
        KernelState strided = new KernelState(diagonal.nngp().permute(1, 0, 2, 3), diagonal.var2(), diagonal.var1(),
                List.of(), false, false, KernelLayout.DIAGONAL);
        assertThat(SpatialActivation.applies(Duals.relu(), strided)).isFalse();
    }

    @Test
    void reportsTheFirstNonFiniteCovariance() {
        KernelState state = state(true, 14);
        state.nngp().putScalar(new long[] {1, 0, 2, 1, 0, 1}, Double.NaN);
        assertThatThrownBy(() -> SpatialActivation.apply(Duals.relu(), state))
                .isInstanceOf(FrameworkException.class)
                .satisfies(e -> assertThat(((FrameworkException) e).errorCode()).isEqualTo(ErrorCode.NON_FINITE_VALUE))
                .hasMessage("the activation rule needs finite covariances, found NaN at entry [1, 0, 2, 1, 0, 1]");
    }

    /** A spatial state from random features [n, C, 3, 2]: (1/C) sum_c x_c(p) x'_c(p') (p = p' for diagonal). */
    private static KernelState state(boolean full, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[][][] x1 = features(random, N1);
        double[][][] x2 = features(random, N2);
        long[] half = {SPATIAL[0], SPATIAL[1]};
        long[] both = {SPATIAL[0], SPATIAL[1], SPATIAL[0], SPATIAL[1]};
        INDArray nngp = full ? Nd4j.create(DataType.DOUBLE, concat(new long[] {N1, N2}, both))
                : Nd4j.create(DataType.DOUBLE, concat(new long[] {N1, N2}, half));
        for (int a = 0; a < N1; a++) {
            for (int b = 0; b < N2; b++) {
                for (int p = 0; p < P; p++) {
                    for (int q = 0; q < P; q++) {
                        if (full) {
                            nngp.putScalar(index(a, b, p, q), covariance(x1[a], x2[b], p, q));
                        } else if (p == q) {
                            nngp.putScalar(new long[] {a, b, p / 2, p % 2}, covariance(x1[a], x2[b], p, p));
                        }
                    }
                }
            }
        }
        return new KernelState(nngp, variances(x1, full), variances(x2, full), List.of(), false, false,
                full ? KernelLayout.FULL : KernelLayout.DIAGONAL);
    }

    private static INDArray variances(double[][][] x, boolean full) {
        int n = x.length;
        INDArray var = full ? Nd4j.create(DataType.DOUBLE, n, 1, SPATIAL[0], SPATIAL[1], SPATIAL[0], SPATIAL[1])
                : Nd4j.create(DataType.DOUBLE, n, SPATIAL[0], SPATIAL[1]);
        for (int a = 0; a < n; a++) {
            for (int p = 0; p < P; p++) {
                for (int q = 0; q < P; q++) {
                    if (full) {
                        var.putScalar(new long[] {a, 0, p / 2, p % 2, q / 2, q % 2}, covariance(x[a], x[a], p, q));
                    } else if (p == q) {
                        var.putScalar(new long[] {a, p / 2, p % 2}, covariance(x[a], x[a], p, p));
                    }
                }
            }
        }
        return var;
    }

    private static long[] index(int a, int b, int p, int q) {
        return new long[] {a, b, p / 2, p % 2, q / 2, q % 2};
    }

    private static double[][][] features(SplittableRandom random, int n) {
        double[][][] x = new double[n][CHANNELS][P];
        for (double[][] sample : x) {
            for (double[] channel : sample) {
                for (int p = 0; p < P; p++) {
                    channel[p] = random.nextDouble(-1, 1);
                }
            }
        }
        return x;
    }

    private static double covariance(double[][] u, double[][] v, int p, int q) {
        double sum = 0;
        for (int c = 0; c < CHANNELS; c++) {
            sum += u[c][p] * v[c][q];
        }
        return sum / CHANNELS;
    }

    /** {Sigma, D, var1', var2'} through the dual's array methods on explicitly broadcast variances. */
    private static INDArray[] expected(GaussianDual dual, KernelState state, boolean full) {
        INDArray c11 = Nd4j.create(DataType.DOUBLE, state.nngp().shape());
        INDArray c22 = Nd4j.create(DataType.DOUBLE, state.nngp().shape());
        double[] d1 = diagonal(state.var1(), N1, full);
        double[] d2 = diagonal(state.var2(), N2, full);
        for (int a = 0; a < N1; a++) {
            for (int b = 0; b < N2; b++) {
                for (int p = 0; p < P; p++) {
                    for (int q = 0; q < (full ? P : 1); q++) {
                        long[] at = full ? index(a, b, p, q) : new long[] {a, b, p / 2, p % 2};
                        c11.putScalar(at, d1[a * P + p]);
                        c22.putScalar(at, d2[b * P + (full ? q : p)]);
                    }
                }
            }
        }
        return new INDArray[] {dual.sigma(c11, c22, state.nngp()), dual.derivative(c11, c22, state.nngp()),
            selfSigma(dual, state.var1(), d1, full), selfSigma(dual, state.var2(), d2, full)};
    }

    private static INDArray selfSigma(GaussianDual dual, INDArray var, double[] d, boolean full) {
        if (!full) {
            return dual.sigma(var, var, var);
        }
        INDArray first = Nd4j.create(DataType.DOUBLE, var.shape());
        INDArray second = Nd4j.create(DataType.DOUBLE, var.shape());
        for (int a = 0; a < var.size(0); a++) {
            for (int p = 0; p < P; p++) {
                for (int q = 0; q < P; q++) {
                    long[] at = {a, 0, p / 2, p % 2, q / 2, q % 2};
                    first.putScalar(at, d[a * P + p]);
                    second.putScalar(at, d[a * P + q]);
                }
            }
        }
        return dual.sigma(first, second, var);
    }

    private static double[] diagonal(INDArray var, int n, boolean full) {
        double[] d = new double[n * P];
        for (int a = 0; a < n; a++) {
            for (int p = 0; p < P; p++) {
                d[a * P + p] = full ? var.getDouble(a, 0, p / 2, p % 2, p / 2, p % 2) : var.getDouble(a, p / 2, p % 2);
            }
        }
        return d;
    }

    private static void check(KernelState out, INDArray[] expected, INDArray other, INDArray another) {
        assertSame(out.nngp(), expected[0]);
        assertSame(out.var1(), expected[2]);
        assertSame(out.var2(), expected[3]);
        assertSame(out.layer(1), other.mul(expected[1]));
        assertSame(out.layer(2), another.mul(expected[1]));
        assertSame(out.layer(3), other.mul(expected[1]));
    }

    /** Equal shapes and bit-for-bit equal entries. */
    private static void assertSame(INDArray actual, INDArray expected) {
        assertThat(actual.shape()).containsExactly(expected.shape());
        assertThat(actual.dup('c').data().asDouble()).containsExactly(expected.dup('c').data().asDouble());
    }

    private static long[] concat(long[] a, long[] b) {
        long[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
