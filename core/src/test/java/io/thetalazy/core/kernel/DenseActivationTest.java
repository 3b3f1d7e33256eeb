package io.thetalazy.core.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import io.thetalazy.core.layer.Activation;
import io.thetalazy.core.layer.Activations;
import io.thetalazy.core.layer.KernelLimit;
import io.thetalazy.core.layer.Layer;
import io.thetalazy.core.layer.Network;
import io.thetalazy.core.layer.Serial;
import io.thetalazy.core.param.StandardRule;
import io.thetalazy.core.testing.TestNetworks;
import java.util.ArrayList;
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
        for (GaussianDual dual : List.of(Duals.relu(), Duals.leakyRelu(0.2), Duals.erf(), Duals.linear(),
                Duals.quadrature(Activations.TANH, 20))) {
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

            KernelState copied = DenseActivation.apply(dual, state);
            assertThat(state.nngp()).isEqualTo(nngpBefore);
            assertThat(other).isEqualTo(otherBefore);
            check(copied, sigma, d, nngpBefore, otherBefore);

            KernelState inPlace = DenseActivation.apply(dual, state.released());
            check(inPlace, sigma, d, nngpBefore, otherBefore);
            assertThat(inPlace.layer(2)).isSameAs(other);
            assertThat(inPlace.layer(1)).isSameAs(inPlace.layer(3));
        }
    }

    /**
     * A symmetric state (one input set) through the tiled upper-triangle pass against the same state without the flag
     * through the full pass, and that against the layers' rules one by one: the full pass agrees with the layers bit
     * for bit, the upper triangles agree bit for bit, and the symmetric results are exactly symmetric.
     * Below the diagonal the full rule computes each entry with c11 and c22 swapped: the same bits for relu and the
     * quadrature dual, whose expressions are symmetric in them, while erf's D rounds ((1 + 2 c11) + 2 c22) in the
     * other order, a difference of an ulp that each layer's products carry along (measured: at most depth ulps).
     */
    @ParameterizedTest(name = "{0}, depth {1}, bias {2}")
    @MethodSource("networks")
    void symmetricRuleMatchesTheFullRule(String name, int depth, boolean bias, long lowerUlps) {
        Activation activation = switch (name) {
            case "relu" -> Activations.RELU;
            case "erf" -> Activations.ERF;
            default -> Activations.TANH;
        };
        // He gains: sigma_l^2 = 2 with gains inside (biases, or a non-homogeneous activation)
        Network network = TestNetworks.fcn(TestNetworks.spec(16, depth, 5, activation,
                new StandardRule(StandardRule.Gain.HE), bias, false));
        INDArray x = TestNetworks.sphere(300, 5, depth);    // 300: three tile rows, the last one partial
        KernelState input = KernelState.ofInputs(x, x);
        assertThat(input.symmetric()).isTrue();
        assertSymmetric(input.nngp());

        KernelLimit symmetric = network.limit(x, x);
        KernelState plain = new KernelState(input.nngp(), input.var1(), input.var2(), input.layers());
        KernelState full = network.body().kernel(plain);
        assertThat(symmetric.symmetric()).isTrue();
        assertThat(full.symmetric()).isFalse();
        // the one pass over all layers against the layers' own rules one by one
        KernelState layerByLayer = plain;
        for (Layer layer : ((Serial) network.body()).layers()) {
            layerByLayer = layer.kernel(layerByLayer);
        }
        assertIdentical(full.nngp(), layerByLayer.nngp(), "nngp");
        assertIdentical(full.var1(), layerByLayer.var1(), "var1");
        for (int l = 1; l <= depth + 1; l++) {
            assertIdentical(full.layer(l), layerByLayer.layer(l), "K^[" + l + "]");
        }
        assertIdentical(symmetric.var1(), full.var1(), "var1");
        assertIdentical(symmetric.var2(), full.var2(), "var2");
        List<INDArray> pairs = new ArrayList<>(List.of(symmetric.nngp(), full.nngp()));
        for (int l = 1; l <= depth + 1; l++) {
            pairs.add(symmetric.layer(l));
            pairs.add(full.layer(l));
        }
        for (int k = 0; k < pairs.size(); k += 2) {
            INDArray mirrored = pairs.get(k);
            assertSymmetric(mirrored);
            double[] a = mirrored.data().asDouble();
            double[] b = pairs.get(k + 1).data().asDouble();
            long worstUpper = 0;
            long worstLower = 0;
            for (int i = 0; i < 300; i++) {
                for (int j = 0; j < 300; j++) {
                    int at = i * 300 + j;
                    long ulps = Math.abs(Double.doubleToLongBits(a[at]) - Double.doubleToLongBits(b[at]));
                    if (j >= i) {
                        worstUpper = Math.max(worstUpper, ulps);
                    } else {
                        worstLower = Math.max(worstLower, ulps);
                    }
                }
            }
            assertThat(worstUpper).as("array %d, on and above the diagonal", k / 2).isZero();
            assertThat(worstLower).as("array %d, below the diagonal", k / 2).isLessThanOrEqualTo(lowerUlps);
        }
    }

    static Stream<Arguments> networks() {
        List<Arguments> cases = new ArrayList<>();
        for (String name : List.of("relu", "erf", "tanh")) {
            for (int depth = 1; depth <= 4; depth++) {
                for (boolean bias : List.of(false, true)) {
                    cases.add(Arguments.of(name, depth, bias, name.equals("erf") ? 2L * depth : 0L));
                }
            }
        }
        return cases.stream();
    }

    @Test
    void symmetryIsKeptByTheCopiesAndOnlyForOneInputSet() {
        INDArray x = Nd4j.rand(DataType.DOUBLE, 9, 4);
        KernelState one = KernelState.ofInputs(x, x);
        KernelState two = KernelState.ofInputs(x, x.dup());
        assertThat(one.symmetric()).isTrue();
        assertThat(two.symmetric()).isFalse();
        assertIdentical(one.nngp(), two.nngp(), "nngp");
        assertThat(one.addLayer(one.nngp()).scaleLayers(2.0).scaleLayers(one.nngp())
                .withNngp(one.nngp(), one.var1(), one.var2()).symmetric()).isTrue();
        assertThat(new KernelState(one.nngp(), one.var1(), one.var2(), List.of()).symmetric()).isFalse();
    }

    private static void assertSymmetric(INDArray square) {
        int n = (int) square.size(0);
        double[] values = square.data().asDouble();
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < i; j++) {
                if (Double.doubleToLongBits(values[i * n + j]) != Double.doubleToLongBits(values[j * n + i])) {
                    assertThat(values[i * n + j]).as("[%d, %d]", i, j).isEqualTo(values[j * n + i]);
                }
            }
        }
    }

    private static void check(KernelState out, INDArray sigma, INDArray d, INDArray nngp, INDArray other) {
        assertIdentical(out.nngp(), sigma, "Sigma");
        assertIdentical(out.layer(1), nngp.mul(d), "K^[1]");
        assertIdentical(out.layer(2), other.mul(d), "K^[2]");
        assertIdentical(out.layer(3), nngp.mul(d), "K^[3]");
    }

    /** Bit for bit (INDArray equality is within 1e-5); the first differing entry in the message. */
    private static void assertIdentical(INDArray actual, INDArray expected, String what) {
        double[] a = actual.data().asDouble();
        double[] b = expected.data().asDouble();
        assertThat(a.length).as(what).isEqualTo(b.length);
        for (int i = 0; i < a.length; i++) {
            if (Double.doubleToLongBits(a[i]) != Double.doubleToLongBits(b[i])) {
                assertThat(Double.doubleToLongBits(a[i]))
                        .as("%s at flat index %d: %s, expected %s", what, i, a[i], b[i])
                        .isEqualTo(Double.doubleToLongBits(b[i]));
            }
        }
    }
}
