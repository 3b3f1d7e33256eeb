package io.thetalazy.cnn;

import static io.thetalazy.cnn.Fixtures.relativeError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.thetalazy.core.error.ErrorCode;
import io.thetalazy.core.error.FrameworkException;
import io.thetalazy.core.init.Initializers;
import io.thetalazy.core.init.Seeds;
import io.thetalazy.core.layer.Activations;
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
import io.thetalazy.core.train.Loss;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

final class ConvolutionTest {
    private static final double STEP = 1e-6;

    @BeforeAll
    static void doubles() {
        Fixtures.useDoubles();
    }

    /** A lone convolution of weight [1, 1, k...] (ntk: s = 1/sqrt(C_in q)) with every weight 1. */
    private static INDArray onesConvolution(Shape input, int k, int stride, Padding padding, INDArray x) {
        NetworkSpec spec = Fixtures.spec(input, 1, 1, Activations.LINEAR, new NtkRule(), false, CnnOptions.defaults());
        int r = input.rank() - 1;
        int[] weight = r == 1 ? new int[] {1, 1, k} : new int[] {1, 1, k, k};
        int q = (int) Math.pow(k, r);
        Convolution convolution = new Convolution(TrainableLayer.of(spec, "conv", 1, Shape.of(weight), q, 0, q, 1),
                stride, padding);
        Params params = new Params();
        params.put("conv-1", Nd4j.ones(r == 1 ? new long[] {1, 1, k} : new long[] {1, 1, k, k}));
        return convolution.apply(params, x, new Tape()).mul(Math.sqrt(q));
    }

    @Test
    void constantWeightsGiveWindowSumsIn1d() {
        INDArray x = Nd4j.create(new double[] {1, 2, 3, 4}, new long[] {1, 1, 4});
        // SAME, k = 3: one zero on each side.
        assertThat(onesConvolution(Shape.of(1, 4), 3, 1, Padding.SAME, x).dup().data().asDouble())
                .containsExactly(new double[] {3, 6, 9, 7}, within(1e-12));
        // SAME, k = 2: the one padded zero goes after (the smaller half before).
        assertThat(onesConvolution(Shape.of(1, 4), 2, 1, Padding.SAME, x).dup().data().asDouble())
                .containsExactly(new double[] {3, 5, 7, 4}, within(1e-12));
        assertThat(onesConvolution(Shape.of(1, 4), 3, 1, Padding.VALID, x).dup().data().asDouble())
                .containsExactly(new double[] {6, 9}, within(1e-12));
        INDArray five = Nd4j.create(new double[] {1, 2, 3, 4, 5}, new long[] {1, 1, 5});
        // SAME, stride 2: ceil(5/2) = 3 outputs centred on 0, 2, 4.
        assertThat(onesConvolution(Shape.of(1, 5), 3, 2, Padding.SAME, five).dup().data().asDouble())
                .containsExactly(new double[] {3, 9, 9}, within(1e-12));
        assertThat(onesConvolution(Shape.of(1, 5), 2, 2, Padding.VALID, five).dup().data().asDouble())
                .containsExactly(new double[] {3, 7}, within(1e-12));
    }

    @Test
    void constantWeightsGiveWindowSumsIn2d() {
        INDArray x = Nd4j.create(new double[] {1, 2, 3, 4, 5, 6, 7, 8, 9}, new long[] {1, 1, 3, 3});
        assertThat(onesConvolution(Shape.of(1, 3, 3), 2, 1, Padding.VALID, x).dup().data().asDouble())
                .containsExactly(new double[] {12, 16, 24, 28}, within(1e-12));
        // SAME k = 3: each output sums its 3 x 3 neighbourhood inside the image.
        assertThat(onesConvolution(Shape.of(1, 3, 3), 3, 1, Padding.SAME, x).dup().data().asDouble())
                .containsExactly(new double[] {12, 21, 16, 27, 45, 33, 24, 39, 28}, within(1e-12));
        assertThat(onesConvolution(Shape.of(1, 3, 3), 3, 2, Padding.SAME, x).dup().data().asDouble())
                .containsExactly(new double[] {12, 16, 24, 28}, within(1e-12));
    }

    @Test
    void channelsAndBiasEnterAsInTheFormula() {
        // Two input channels, two output channels, k = 1: h_o = s (sum_c W[o, c] x_c) + s^b b_o with s = 1/sqrt(2).
        Shape input = Shape.of(2, 3);
        NetworkSpec spec = Fixtures.spec(input, 2, 1, Activations.LINEAR, new NtkRule(), true, CnnOptions.defaults());
        Convolution convolution = new Convolution(TrainableLayer.of(spec, "conv1d", 1, Shape.of(2, 2, 1), 2, 0, 2, 1),
                1, Padding.SAME);
        Params params = new Params();
        params.put("conv1d-1", Nd4j.create(new double[] {1, 2, 3, 4}, new long[] {2, 2, 1}));
        params.put("conv1d-1-bias", Nd4j.create(new double[] {10, 20}, new long[] {2}));
        INDArray x = Nd4j.create(new double[] {1, 2, 3, 4, 5, 6}, new long[] {1, 2, 3});
        INDArray h = convolution.apply(params, x, new Tape());
        double s = 1 / Math.sqrt(2);
        assertThat(h.shape()).containsExactly(1, 2, 3);
        assertThat(h.dup().data().asDouble()).containsExactly(new double[] {
                s * 9 + 10, s * 12 + 10, s * 15 + 10, s * 19 + 20, s * 26 + 20, s * 33 + 20}, within(1e-12));
    }

    /** 1-d [2, 7] and 2-d [2, 7, 8] inputs; depth 2, width 3, with biases. */
    static Stream<Arguments> configurations() {
        Stream.Builder<Arguments> all = Stream.builder();
        for (int dims : new int[] {1, 2}) {
            for (int stride : new int[] {1, 2}) {
                for (Padding padding : Padding.values()) {
                    for (Readout readout : Readout.values()) {
                        all.add(Arguments.of(dims, 3, stride, padding, readout));
                    }
                }
            }
            all.add(Arguments.of(dims, 2, 1, Padding.SAME, Readout.FLATTEN));
            all.add(Arguments.of(dims, 2, 2, Padding.SAME, Readout.GLOBAL_AVERAGE));
        }
        return all.build();
    }

    static Network network(int dims, int k, int stride, Padding padding, Readout readout) {
        Shape input = dims == 1 ? Shape.of(2, 7) : Shape.of(2, 7, 8);
        CnnOptions options = new CnnOptions(k, stride, padding, readout);
        return new CnnArchitecture().network(
                Fixtures.spec(input, 3, 2, Activations.TANH, new NtkRule(), true, options));
    }

    /** Initial parameters with Gaussian (not zero) biases, so that every path of the forward pass is exercised. */
    static Params parameters(Network network) {
        Params params = network.init(Fixtures.SEED);
        for (String name : params.names()) {
            if (name.endsWith("-bias")) {
                params.put(name, Initializers.GAUSSIAN.sample(params.get(name).shape(), Seeds.generator(1, name)));
            }
        }
        return params;
    }

    @ParameterizedTest
    @MethodSource("configurations")
    void gradientsMatchFiniteDifferences(int dims, int k, int stride, Padding padding, Readout readout) {
        Network network = network(dims, k, stride, padding, readout);
        Params params = parameters(network);
        INDArray x = Fixtures.input(2, network.spec().inputShape(), "fd-x");
        INDArray y = Fixtures.input(2, Shape.of(1), "fd-y");
        Network.Forward forward = network.forward(params, x);
        Gradients gradients = network.gradients(params, forward, Loss.gradient(forward.output().sub(y)));
        SplittableRandom rng = new SplittableRandom(7);
        double worst = 0;
        for (String name : params.names()) {
            INDArray w = params.get(name);
            INDArray analytic = gradients.get(name);
            long count = Math.min(w.length(), 8);
            double[] numeric = new double[(int) count];
            double[] exact = new double[(int) count];
            for (int i = 0; i < count; i++) {
                long index = w.length() <= 8 ? i : rng.nextLong(w.length());
                double original = w.getDouble(index);
                w.putScalar(index, original + STEP);
                double plus = Loss.value(network.apply(params, x).sub(y));
                w.putScalar(index, original - STEP);
                double minus = Loss.value(network.apply(params, x).sub(y));
                w.putScalar(index, original);
                numeric[i] = (plus - minus) / (2 * STEP);
                exact[i] = analytic.getDouble(index);
            }
            double error = relativeError(Nd4j.createFromArray(numeric), Nd4j.createFromArray(exact));
            assertThat(error).as("relative gradient error of %s", name).isLessThan(1e-6);
            worst = Math.max(worst, error);
        }
        System.out.printf("finite differences %d-d k=%d stride %d %s %s: worst relative error %.2e%n", dims, k, stride,
                padding, readout, worst);
    }

    @ParameterizedTest
    @MethodSource("configurations")
    void contractedTangentKernelsMatchExplicitGradients(int dims, int k, int stride, Padding padding,
            Readout readout) {
        Network network = network(dims, k, stride, padding, readout);
        Params params = parameters(network);
        INDArray x1 = Fixtures.input(3, network.spec().inputShape(), "theta-x1");
        INDArray x2 = Fixtures.input(2, network.spec().inputShape(), "theta-x2");
        Map<Integer, INDArray> oracle = Fixtures.explicit(network, params, x1, x2);
        double worst = 0;
        for (Convolution.GramStrategy strategy : Convolution.GramStrategy.values()) {
            Map<Integer, INDArray> theta = withStrategy(network, params, x1, x2, strategy);
            for (int l : oracle.keySet()) {
                double error = relativeError(theta.get(l), oracle.get(l));
                assertThat(error).as("Theta_%d by %s", l, strategy).isLessThan(1e-10);
                worst = Math.max(worst, error);
            }
        }
        Map<Integer, INDArray> automatic = Fixtures.contracted(network, params, x1, x2);
        Map<Integer, INDArray> same = Fixtures.contracted(network, params, x1, x1);
        Map<Integer, INDArray> sameOracle = Fixtures.explicit(network, params, x1, x1);
        for (int l : oracle.keySet()) {
            assertThat(relativeError(automatic.get(l), oracle.get(l))).isLessThan(1e-10);
            assertThat(relativeError(same.get(l), sameOracle.get(l))).isLessThan(1e-10);
        }
        System.out.printf("tangent contraction %d-d k=%d stride %d %s %s: worst relative error %.2e%n", dims, k,
                stride, padding, readout, worst);
    }

    /** Theta_l with every convolution forced to one contraction strategy. */
    private static Map<Integer, INDArray> withStrategy(Network network, Params params, INDArray x1, INDArray x2,
            Convolution.GramStrategy strategy) {
        Network.Forward f1 = network.forward(params, x1);
        network.gradients(params, f1, Nd4j.ones(x1.size(0), 1));
        Network.Forward f2 = network.forward(params, x2);
        network.gradients(params, f2, Nd4j.ones(x2.size(0), 1));
        Map<Integer, INDArray> theta = new TreeMap<>();
        Serial body = (Serial) network.body();
        for (int i = 0; i < body.layers().size(); i++) {
            Layer layer = body.layers().get(i);
            Tape t1 = f1.tape().child(i);
            Tape t2 = f2.tape().child(i);
            if (layer instanceof Convolution convolution) {
                convolution.tangentGram(t1, t2, (l, c) -> theta.merge(l, c, INDArray::add), strategy);
            } else {
                layer.tangentGram(t1, t2, (l, c) -> theta.merge(l, c, INDArray::add));
            }
        }
        return theta;
    }

    @Test
    void strategyFollowsTheFlopEstimate() {
        // Many positions and small filters: per-sample filter gradients (the patch Grams grow as P^2); few positions
        // and wide filters: the patch Grams (the filter gradients grow as C_out C_in q).
        assertThat(Convolution.GramStrategy.choose(100, 100, 1024, 16, 9 * 16))
                .isEqualTo(Convolution.GramStrategy.FILTER_GRADIENTS);
        assertThat(Convolution.GramStrategy.choose(4, 4, 4, 512, 9 * 512))
                .isEqualTo(Convolution.GramStrategy.PATCH_GRAM);
    }

    @Test
    void rejectsInputsWithTheWrongChannelsOrRank() {
        Network network = network(1, 3, 1, Padding.SAME, Readout.FLATTEN);
        Convolution first = (Convolution) ((Serial) network.body()).layers().get(0);
        Params params = network.init(1);
        assertThatThrownBy(() -> first.apply(params, Nd4j.zeros(2, 3, 7), new Tape()))
                .isInstanceOf(FrameworkException.class)
                .hasMessage("conv1d-1 expects a batch of shape [n, 2, W], found [2, 3, 7]");
        assertThatThrownBy(() -> first.outputShape(Shape.of(2, 7, 7)))
                .isInstanceOf(FrameworkException.class)
                .hasMessage("conv1d-1 expects inputs of shape [2, W], found [2, 7, 7]");
    }

    @Test
    void rejectsAKernelLargerThanItsInputWithValidPadding() {
        NetworkSpec spec = Fixtures.spec(Shape.of(1, 2), 4, 1, Activations.TANH, new NtkRule(), false,
                CnnOptions.defaults().withPadding(Padding.VALID));
        assertThatThrownBy(() -> new CnnArchitecture().build(spec))
                .isInstanceOf(FrameworkException.class)
                .hasMessage("conv1d-1: kernel size 3 is larger than its input [2] with VALID padding; use a smaller "
                        + "kernelSize, fewer layers or stride, or padding same")
                .extracting(e -> ((FrameworkException) e).errorCode()).isEqualTo(ErrorCode.SHAPE_MISMATCH);
    }

    @Test
    void kernelRuleRejectsAStateWithOtherSpatialAxes() {
        Network network = network(1, 3, 1, Padding.SAME, Readout.FLATTEN);
        Convolution first = (Convolution) ((Serial) network.body()).layers().get(0);
        INDArray images = Fixtures.input(2, Shape.of(2, 3, 3), "images");
        assertThatThrownBy(() -> first.kernel(new CnnArchitecture().inputKernel(images, images,
                KernelLayout.DIAGONAL, 1)))
                .isInstanceOf(FrameworkException.class)
                .hasMessage("conv1d-1 is a 1-d convolution, the kernel state has 2 spatial axes");
    }

    @Test
    void rejectsMalformedWeightShapes() {
        NetworkSpec spec = Fixtures.spec(Shape.of(1, 5, 5), 2, 1, Activations.TANH, new NtkRule(), false,
                CnnOptions.defaults());
        assertThatThrownBy(() -> new Convolution(TrainableLayer.of(spec, "conv2d", 1, Shape.of(2, 1, 3, 2), 6, 0, 6, 1),
                1, Padding.SAME))
                .isInstanceOfSatisfying(FrameworkException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.SHAPE_MISMATCH))
                .hasMessage("2-d filters are square k x k, found [2, 1, 3, 2]");
        assertThatThrownBy(() -> new Convolution(TrainableLayer.of(spec, "conv2d", 1, Shape.of(2, 9), 9, 0, 9, 1),
                1, Padding.SAME))
                .isInstanceOfSatisfying(FrameworkException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.SHAPE_MISMATCH))
                .hasMessage("a convolution weight is [C_out, C_in, k] or [C_out, C_in, k, k], found [2, 9]");
    }
}
