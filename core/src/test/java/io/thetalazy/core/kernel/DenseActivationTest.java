package io.thetalazy.core.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

final class DenseActivationTest {
    @BeforeAll
    static void doublePrecision() {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    @Test
    void arccosIsStrictMathBitForBit() {
        SplittableRandom random = new SplittableRandom(7);
        double[] special = {0.0, -0.0, 1, -1, 0.5, -0.5, Math.nextDown(0.5), Math.nextUp(-0.5), 1e-20, -1e-20,
            Math.nextDown(1.0), Math.nextUp(-1.0), 2, -2, Double.NaN};
        for (double x : special) {
            assertThat(Double.doubleToRawLongBits(Arccos.acos(x))).as("acos(%s)", x)
                    .isEqualTo(Double.doubleToRawLongBits(StrictMath.acos(x)));
        }
        for (int i = 0; i < 1_000_000; i++) {
            double x = switch (i % 3) {
                case 0 -> random.nextDouble(-1, 1);
                case 1 -> 1 - Math.pow(10, -random.nextDouble(0, 17));
                default -> -1 + Math.pow(10, -random.nextDouble(0, 17));
            };
            if (Double.doubleToRawLongBits(Arccos.acos(x)) != Double.doubleToRawLongBits(StrictMath.acos(x))) {
                assertThat(Arccos.acos(x)).as("acos(%s)", x).isEqualTo(StrictMath.acos(x));
            }
        }
    }

    @Test
    void fusedRuleMatchesTheArrayMethodsAndRespectsOwnership() {
        for (GaussianDual dual : List.of(Duals.relu(), Duals.leakyRelu(0.2), Duals.erf(), Duals.linear())) {
            INDArray x1 = Nd4j.rand(DataType.DOUBLE, 37, 5).subi(0.5);
            INDArray x2 = Nd4j.rand(DataType.DOUBLE, 23, 5).subi(0.5);
            KernelState input = KernelState.ofInputs(x1, x2);
            INDArray other = Nd4j.rand(DataType.DOUBLE, 37, 23);
            KernelState state = input.addLayer(input.nngp()).addLayer(other).addLayer(input.nngp());
            INDArray c11 = state.var1().reshape(37, 1).broadcast(37, 23);
            INDArray c22 = state.var2().reshape(1, 23).broadcast(37, 23);
            INDArray sigma = dual.sigma(c11, c22, state.nngp());
            INDArray d = dual.derivative(c11, c22, state.nngp());
            INDArray nngpBefore = state.nngp().dup();
            INDArray otherBefore = other.dup();
            assertThat(DenseActivation.applies(dual, state)).isTrue();

            KernelState copied = DenseActivation.apply(dual, state, array -> false);
            assertThat(state.nngp()).isEqualTo(nngpBefore);
            assertThat(other).isEqualTo(otherBefore);
            check(copied, sigma, d, nngpBefore, otherBefore);

            KernelState inPlace = DenseActivation.apply(dual, state, array -> true);
            check(inPlace, sigma, d, nngpBefore, otherBefore);
            assertThat(inPlace.layer(2)).isSameAs(other);
            assertThat(inPlace.layer(1)).isSameAs(inPlace.layer(3));
        }
    }

    private static void check(KernelState out, INDArray sigma, INDArray d, INDArray nngp, INDArray other) {
        assertThat(out.nngp()).isEqualTo(sigma);
        assertThat(out.layer(1)).isEqualTo(nngp.mul(d));
        assertThat(out.layer(2)).isEqualTo(other.mul(d));
        assertThat(out.layer(3)).isEqualTo(nngp.mul(d));
    }
}
