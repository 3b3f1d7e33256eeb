package io.thetalazy.cnn;

import static io.thetalazy.cnn.Fixtures.relativeError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.thetalazy.core.error.ErrorCode;
import io.thetalazy.core.error.FrameworkException;
import io.thetalazy.core.kernel.KernelState;
import io.thetalazy.core.layer.Activation;
import io.thetalazy.core.layer.ActivationLayer;
import io.thetalazy.core.layer.Activations;
import io.thetalazy.core.layer.Dense;
import io.thetalazy.core.layer.Gradients;
import io.thetalazy.core.layer.Layer;
import io.thetalazy.core.layer.Network;
import io.thetalazy.core.layer.NetworkSpec;
import io.thetalazy.core.layer.Params;
import io.thetalazy.core.layer.Serial;
import io.thetalazy.core.layer.Shape;
import io.thetalazy.core.layer.Tape;
import io.thetalazy.core.layer.TrainableLayer;
import io.thetalazy.core.param.NtkRule;
import io.thetalazy.core.testing.LogLogFit;
import io.thetalazy.core.train.Loss;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

final class AveragePoolingTest {
    @BeforeAll
    static void doubles() {
        Fixtures.useDoubles();
    }

    @Test
    void averagesWindowsAndDropsTheRemainder() {
        AveragePooling pooling = new AveragePooling(AveragePooling.WINDOW);
        INDArray signal = Nd4j.create(new double[] {1, 2, 3, 4, 5}, new long[] {1, 1, 5});
        Tape tape = new Tape();
        assertThat(pooling.apply(new Params(), signal, tape).dup().data().asDouble())
                .containsExactly(new double[] {1.5, 3.5}, within(1e-15));
        INDArray back = pooling.backward(new Params(), tape, Nd4j.create(new double[] {2, 4}, new long[] {1, 1, 2}),
                Gradients.discard());
        assertThat(back.dup().data().asDouble()).containsExactly(new double[] {1, 1, 2, 2, 0}, within(1e-15));
        INDArray image = Nd4j.create(new double[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16},
                new long[] {1, 1, 4, 4});
        assertThat(pooling.apply(new Params(), image, new Tape()).dup().data().asDouble())
                .containsExactly(new double[] {3.5, 5.5, 11.5, 13.5}, within(1e-15));
        assertThat(pooling.outputShape(Shape.of(3, 5, 4)).dimensions()).containsExactly(3, 2, 2);
    }

    @Test
    void rejectsAWindowLargerThanItsInput() {
        assertThatThrownBy(() -> new AveragePooling(2).outputShape(Shape.of(3, 1)))
                .isInstanceOf(FrameworkException.class)
                .hasMessage("average pooling: window 2 is larger than its input [1]");
        assertThatThrownBy(() -> new AveragePooling(0))
                .isInstanceOfSatisfying(FrameworkException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                .hasMessage("pooling window must be at least 1, found 0");
    }

    @Test
    void rejectsTheDiagonalLayout() {
        INDArray x = Fixtures.input(2, Shape.of(2, 4), "pool-x");
        KernelState diagonal = new CnnArchitecture().inputKernel(x, x, KernelLayout.DIAGONAL, 1);
        assertThatThrownBy(() -> new AveragePooling(2).kernel(diagonal))
                .isInstanceOf(FrameworkException.class)
                .hasMessage("average pooling needs the full spatial kernel state [n1, n2, S..., S...] (it mixes "
                        + "positions), found the diagonal layout [2, 2, 4]; build the input state with "
                        + "KernelLayout.FULL");
    }

    /** conv, phi, average pooling, conv, phi, then flatten or global average pooling, readout; full input state. */
    static Network pooled(Shape input, int width, Activation activation, Readout readout) {
        NetworkSpec spec = Fixtures.spec(input, width, 2, activation, new NtkRule(), false, CnnOptions.defaults());
        int r = input.rank() - 1;
        String kind = r == 1 ? "conv1d" : "conv2d";
        int q = (int) Math.pow(3, r);
        int channels = input.dimension(0);
        Convolution first = new Convolution(TrainableLayer.of(spec, kind, 1, filter(width, channels, r), channels * q,
                0, width * q, 1), 1, Padding.SAME);
        Convolution second = new Convolution(TrainableLayer.of(spec, kind, 2, filter(width, width, r), width * q, 1,
                width * q, 1), 1, Padding.SAME);
        AveragePooling pooling = new AveragePooling(AveragePooling.WINDOW);
        Shape features = second.outputShape(pooling.outputShape(first.outputShape(input)));
        List<Layer> layers = new ArrayList<>(List.of(first, new ActivationLayer(activation), pooling, second,
                new ActivationLayer(activation)));
        switch (readout) {
            case FLATTEN -> {
                int fanIn = Math.toIntExact(features.size());
                layers.add(new Flatten());
                layers.add(new Dense(TrainableLayer.of(spec, "readout", 3, Shape.of(1, fanIn), fanIn, 1, 1, 0,
                        fanIn / width)));
            }
            case GLOBAL_AVERAGE -> {
                layers.add(new GlobalAveragePooling());
                layers.add(new Dense(TrainableLayer.of(spec, "readout", 3, Shape.of(1, width), width, 1, 1, 0)));
            }
        }
        CnnArchitecture architecture = new CnnArchitecture();
        return new Network(spec, new Serial(layers), architecture::inputKernel);
    }

    private static Shape filter(int out, int in, int r) {
        return r == 1 ? Shape.of(out, in, 3) : Shape.of(out, in, 3, 3);
    }

    static Stream<Arguments> networks() {
        return Stream.of(Arguments.of(Shape.of(2, 7), Readout.FLATTEN),
                Arguments.of(Shape.of(2, 4, 4), Readout.GLOBAL_AVERAGE));
    }

    @ParameterizedTest
    @MethodSource("networks")
    void gradientsAndTangentKernelsThroughPoolingAreExact(Shape input, Readout readout) {
        Network network = pooled(input, 3, Activations.TANH, readout);
        Params params = network.init(Fixtures.SEED);
        INDArray x = Fixtures.input(2, input, "pool-fd-x");
        INDArray y = Fixtures.input(2, Shape.of(1), "pool-fd-y");
        Network.Forward forward = network.forward(params, x);
        Gradients gradients = network.gradients(params, forward, Loss.gradient(forward.output().sub(y)));
        INDArray w = params.get(network.trainables().get(0).name());
        double[] numeric = new double[(int) w.length()];
        double step = 1e-6;
        for (int i = 0; i < w.length(); i++) {
            double original = w.getDouble(i);
            w.putScalar(i, original + step);
            double plus = Loss.value(network.apply(params, x).sub(y));
            w.putScalar(i, original - step);
            double minus = Loss.value(network.apply(params, x).sub(y));
            w.putScalar(i, original);
            numeric[i] = (plus - minus) / (2 * step);
        }
        INDArray analytic = gradients.get(network.trainables().get(0).name()).reshape(-1);
        assertThat(relativeError(Nd4j.createFromArray(numeric), analytic)).isLessThan(1e-6);
        Map<Integer, INDArray> oracle = Fixtures.explicit(network, params, x, x);
        Map<Integer, INDArray> theta = Fixtures.contracted(network, params, x, x);
        for (int l = 1; l <= 3; l++) {
            assertThat(relativeError(theta.get(l), oracle.get(l))).as("Theta_%d", l).isLessThan(1e-10);
        }
    }

    @ParameterizedTest
    @MethodSource("networks")
    void kernelMatchesMonteCarloAtGrowingWidth(Shape input, Readout readout) {
        INDArray x = Fixtures.input(3, input, "pool-mc-x");
        int[] widths = {8, 16, 32, 64, 128};
        double[] m = new double[widths.length];
        double[] rms = new double[widths.length];
        for (int i = 0; i < widths.length; i++) {
            Network network = pooled(input, widths[i], TestDuals.RELU, readout);
            m[i] = widths[i];
            rms[i] = Fixtures.rmsError(network, x, network.limit(x, x), 16);
        }
        double slope = LogLogFit.slope(m, rms);
        System.out.printf("Monte Carlo with average pooling %s %s: RMS errors %s, slope %.3f%n", input, readout,
                java.util.Arrays.toString(rms), slope);
        assertThat(slope).isBetween(-0.65, -0.35);
    }
}
