package io.thetalazy.core.layer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

final class ActivationsTest {
    static {
        Numerics.useFloat64();
    }

    private static final List<Activation> ALL = List.of(Activations.RELU, Activations.leakyRelu(0.2),
            Activations.LINEAR, Activations.TANH, Activations.ERF, Activations.SIGMOID, Activations.GELU,
            Activations.SOFTPLUS);

    @Test
    void arrayAndScalarFormsAgree() {
        double[] points = {-800, -40, -3, -0.7, -1e-3, 0.25, 1, 2.5, 40, 800};
        INDArray z = Nd4j.createFromArray(points);
        for (Activation activation : ALL) {
            INDArray values = activation.apply(z);
            INDArray slopes = activation.derivative(z);
            for (int i = 0; i < points.length; i++) {
                double value = activation.value(points[i]);
                assertThat(values.getDouble(i)).as("%s(%s)", activation.name(), points[i])
                        .isCloseTo(value, within(1e-14 * Math.max(1, Math.abs(value))));
                assertThat(slopes.getDouble(i)).as("%s'(%s)", activation.name(), points[i])
                        .isCloseTo(activation.slope(points[i]), within(1e-13));
            }
        }
    }

    @Test
    void reluPassesInJavaEqualTheNd4jOpsOnSmallLargeAndStridedArrays() {
        java.util.Random rng = new java.util.Random(12);
        INDArray small = Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.DOUBLE, 16, 64).subi(0.5);
        INDArray large = Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.DOUBLE, 300, 250).subi(0.5);
        INDArray strided = Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.DOUBLE, 64, 16).subi(0.5).transpose();
        small.putScalar(0, 3, 0.0);
        assertThat(SmallArrays.memory(small)).isNotNull();
        assertThat(SmallArrays.memory(large)).isNull();
        assertThat(SmallArrays.memory(strided)).isNull();
        for (INDArray z : new INDArray[] {small, large, strided}) {
            INDArray g = Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.DOUBLE, z.shape()).subi(0.5 + rng.nextDouble());
            INDArray expectedForward = z.ulike();
            Nd4j.getExecutioner().exec(new org.nd4j.linalg.api.ops.impl.scalar.RectifiedLinear(z, expectedForward, 0.0));
            INDArray expectedBackward = z.ulike();
            Nd4j.getExecutioner().exec(new org.nd4j.linalg.api.ops.impl.scalar.RectifiedLinearDerivative(z, g,
                    expectedBackward));
            INDArray forward = Activations.RELU.apply(z, Nd4j.zeros(z.shape()));
            INDArray backward = Activations.RELU.backward(z, g, Nd4j.zeros(z.shape()));
            assertThat(forward.toDoubleMatrix()).isEqualTo(expectedForward.toDoubleMatrix());
            assertThat(backward.toDoubleMatrix()).isEqualTo(expectedBackward.toDoubleMatrix());
            assertThat(forward.minNumber().doubleValue()).isZero();
            assertThat(backward.amaxNumber().doubleValue()).isPositive();
        }
    }

    @Test
    void softplusIsStableAtBothEnds() {
        INDArray out = Activations.SOFTPLUS.apply(Nd4j.createFromArray(-40.0, 800.0));
        assertThat(out.getDouble(0)).isCloseTo(Math.exp(-40), within(1e-16)).isNotNegative();
        assertThat(out.getDouble(1)).isEqualTo(800.0);
    }

    @Test
    void homogeneityIsDeclaredExactlyForTheHomogeneousActivations() {
        for (Activation activation : ALL) {
            boolean scales = true;
            for (double z : new double[] {-1.3, 0.4, 2.0}) {
                scales &= Math.abs(activation.value(3 * z) - 3 * activation.value(z)) < 1e-12;
            }
            assertThat(activation.homogeneous()).as(activation.name()).isEqualTo(scales);
        }
    }
}
