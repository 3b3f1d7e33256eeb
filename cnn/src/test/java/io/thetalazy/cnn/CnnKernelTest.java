package io.thetalazy.cnn;

import static io.thetalazy.cnn.Fixtures.relativeError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thetalazy.core.error.ErrorCode;
import io.thetalazy.core.error.FrameworkException;
import io.thetalazy.core.kernel.KernelFootprint;
import io.thetalazy.core.kernel.KernelMemory;
import io.thetalazy.core.kernel.KernelState;
import io.thetalazy.core.kernel.KernelTiling;
import io.thetalazy.core.layer.Activation;
import io.thetalazy.core.layer.ActivationLayer;
import io.thetalazy.core.layer.Activations;
import io.thetalazy.core.layer.Dense;
import io.thetalazy.core.layer.KernelLimit;
import io.thetalazy.core.layer.Layer;
import io.thetalazy.core.layer.Network;
import io.thetalazy.core.layer.NetworkSpec;
import io.thetalazy.core.layer.Serial;
import io.thetalazy.core.layer.Shape;
import io.thetalazy.core.layer.TrainableLayer;
import io.thetalazy.core.param.NtkRule;
import io.thetalazy.core.param.ScalingRule;
import io.thetalazy.core.param.StandardRule;
import io.thetalazy.core.testing.ArrayOnlyDual;
import io.thetalazy.core.testing.LogLogFit;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** The CNTK rules of the cnn layers composed into networks: exact identities and Monte Carlo convergence. */
final class CnnKernelTest {
    @BeforeAll
    static void doubles() {
        Fixtures.useDoubles();
    }

    static Stream<Arguments> layoutCases() {
        Stream.Builder<Arguments> all = Stream.builder();
        all.add(Arguments.of(1, 3, 1, Padding.SAME, TestDuals.RELU, false));
        all.add(Arguments.of(1, 3, 2, Padding.VALID, TestDuals.ERF, true));
        all.add(Arguments.of(2, 3, 1, Padding.VALID, TestDuals.RELU, true));
        all.add(Arguments.of(2, 2, 2, Padding.SAME, TestDuals.ERF, false));
        return all.build();
    }

    @ParameterizedTest
    @MethodSource("layoutCases")
    void diagonalAndFullLayoutsGiveTheSameFlattenKernel(int dims, int k, int stride, Padding padding,
            Activation activation, boolean bias) {
        Shape input = dims == 1 ? Shape.of(2, 9) : Shape.of(2, 7, 6);
        NetworkSpec spec = Fixtures.spec(input, 4, 2, activation, new StandardRule(StandardRule.Gain.HE), bias,
                new CnnOptions(k, stride, padding, Readout.FLATTEN));
        CnnArchitecture architecture = new CnnArchitecture();
        Layer body = architecture.build(spec);
        INDArray x1 = Fixtures.input(3, input, "layout-x1");
        INDArray x2 = Fixtures.input(2, input, "layout-x2");
        KernelState diagonal = body.kernel(architecture.inputKernel(x1, x2, KernelLayout.DIAGONAL, 2));
        KernelState full = body.kernel(architecture.inputKernel(x1, x2, KernelLayout.FULL, 2));
        assertThat(diagonal.layers()).hasSize(3);
        for (int l = 1; l <= 3; l++) {
            assertThat(diagonal.layer(l).shape()).containsExactly(3, 2);
            assertThat(relativeError(diagonal.layer(l), full.layer(l))).as("K^[%d]", l).isLessThan(1e-13);
        }
        assertThat(relativeError(diagonal.var1(), full.var1())).isLessThan(1e-13);
        assertThat(relativeError(diagonal.var2(), full.var2())).isLessThan(1e-13);
    }

    @Test
    void inputStateAveragesOverChannels() {
        INDArray x1 = Nd4j.create(new double[] {1, 2, 3, 4, 5, 6}, new long[] {1, 2, 3});
        INDArray x2 = Nd4j.create(new double[] {1, 0, -1, 2, 1, 0}, new long[] {1, 2, 3});
        CnnArchitecture architecture = new CnnArchitecture();
        KernelState diagonal = architecture.inputKernel(x1, x2, KernelLayout.DIAGONAL, 1);
        // (1/C) sum_c x1_c(p) x2_c(p): p = 0: (1 + 8)/2, p = 1: (0 + 5)/2, p = 2: (-3 + 0)/2.
        assertThat(diagonal.nngp().dup().data().asDouble()).containsExactly(4.5, 2.5, -1.5);
        assertThat(diagonal.var1().dup().data().asDouble()).containsExactly(8.5, 14.5, 22.5);
        KernelState full = architecture.inputKernel(x1, x2);
        assertThat(full.nngp().shape()).containsExactly(1, 1, 3, 3);
        // p = 0, p' = 2: (1 * -1 + 4 * 0)/2; the self-covariance of x1 at (0, 2): (1 * 3 + 4 * 6)/2.
        assertThat(full.nngp().getDouble(0, 0, 0, 2)).isEqualTo(-0.5);
        assertThat(full.var1().shape()).containsExactly(1, 1, 3, 3);
        assertThat(full.var1().getDouble(0, 0, 0, 2)).isEqualTo(13.5);
    }

    static Stream<Arguments> oneByOneCases() {
        return Stream.of(Arguments.of(TestDuals.RELU, new NtkRule(), false),
                Arguments.of(TestDuals.ERF, new StandardRule(StandardRule.Gain.HE), false),
                Arguments.of(TestDuals.ERF, new NtkRule(), true));
    }

    @ParameterizedTest
    @MethodSource("oneByOneCases")
    void oneByOneConvolutionsSumTheFcnKernelOverPositions(Activation activation, ScalingRule rule, boolean bias) {
        int channels = 3;
        int positions = 5;
        INDArray x1 = Fixtures.input(4, Shape.of(channels, positions), "1x1-x1");
        INDArray x2 = Fixtures.input(3, Shape.of(channels, positions), "1x1-x2");
        NetworkSpec cnnSpec = Fixtures.spec(Shape.of(channels, positions), 8, 3, activation, rule, bias,
                CnnOptions.defaults().withKernelSize(1));
        KernelLimit cnn = new CnnArchitecture().network(cnnSpec).limit(x1, x2);
        NetworkSpec fcnSpec = Fixtures.spec(Shape.of(channels), 8, 3, activation, rule, bias, CnnOptions.defaults());
        Network fcn = new Network(fcnSpec, fcn(fcnSpec), KernelState::ofInputs);
        List<INDArray> sums = new ArrayList<>();
        for (int p = 0; p < positions; p++) {
            KernelLimit atP = fcn.limit(x1.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.point(p)).dup(),
                    x2.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.point(p)).dup());
            for (int l = 1; l <= 4; l++) {
                if (p == 0) {
                    sums.add(atP.layer(l).dup());
                } else {
                    sums.get(l - 1).addi(atP.layer(l));
                }
            }
        }
        for (int l = 1; l <= 4; l++) {
            assertThat(relativeError(cnn.layer(l), sums.get(l - 1))).as("K^[%d]", l).isLessThan(1e-13);
        }
        // One position: the FCN kernel itself.
        INDArray single1 = x1.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(2, 3)).dup();
        INDArray single2 = x2.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(2, 3)).dup();
        KernelLimit one = new CnnArchitecture().network(Fixtures.spec(Shape.of(channels, 1), 8, 3, activation, rule,
                bias, CnnOptions.defaults().withKernelSize(1))).limit(single1, single2);
        KernelLimit dense = fcn.limit(single1.reshape(4, channels), single2.reshape(3, channels));
        for (int l = 1; l <= 4; l++) {
            assertThat(relativeError(one.layer(l), dense.layer(l))).as("K^[%d] at P = 1", l).isLessThan(1e-13);
        }
    }

    /** The FCN of docs/theory.md#normalized-view from core layers: dense-1, phi, ..., dense-L, phi, readout. */
    static Layer fcn(NetworkSpec spec) {
        int d = spec.inputShape().dimension(0);
        int m = spec.width();
        List<Layer> layers = new ArrayList<>();
        for (int l = 1; l <= spec.depth(); l++) {
            int fanIn = l == 1 ? d : m;
            layers.add(new Dense(TrainableLayer.of(spec, "dense", l, Shape.of(m, fanIn), fanIn, l == 1 ? 0 : 1, m, 1)));
            layers.add(new ActivationLayer(spec.activation()));
        }
        layers.add(new Dense(TrainableLayer.of(spec, "readout", spec.depth() + 1, Shape.of(1, m), m, 1, 1, 0)));
        return new Serial(layers);
    }

    @Test
    void globalAverageReadoutAveragesOverAllPositionPairs() {
        // Linear activation, 1 x 1 convolutions, depth 1: K^[2] = mean_{p, p'} Sigma^(0)(p, p') = (1/C) xbar1 . xbar2,
        // K^[1] = the same (the readout's cotangent is constant over positions).
        INDArray x1 = Fixtures.input(3, Shape.of(2, 4), "gap-x1");
        INDArray x2 = Fixtures.input(2, Shape.of(2, 4), "gap-x2");
        NetworkSpec spec = Fixtures.spec(Shape.of(2, 4), 5, 1, TestDuals.LINEAR, new NtkRule(), false,
                CnnOptions.defaults().withKernelSize(1).withReadout(Readout.GLOBAL_AVERAGE));
        KernelLimit limit = new CnnArchitecture().network(spec).limit(x1, x2);
        INDArray mean1 = x1.mean(2);
        INDArray mean2 = x2.mean(2);
        INDArray expected = mean1.mmul(mean2.transpose()).divi(2);
        assertThat(relativeError(limit.layer(2), expected)).isLessThan(1e-14);
        assertThat(relativeError(limit.layer(1), expected)).isLessThan(1e-14);
    }

    @Test
    void globalAveragePoolingRejectsTheDiagonalLayout() {
        INDArray x = Fixtures.input(2, Shape.of(2, 4), "reject-x");
        KernelState diagonal = new CnnArchitecture().inputKernel(x, x, KernelLayout.DIAGONAL, 1);
        assertThatThrownBy(() -> new GlobalAveragePooling().kernel(diagonal))
                .isInstanceOf(FrameworkException.class)
                .hasMessage("global average pooling needs the full spatial kernel state [n1, n2, S..., S...] (all "
                        + "position pairs), found the diagonal layout [2, 2, 4]; build the input state with "
                        + "KernelLayout.FULL");
    }

    @Test
    void refusesAFullKernelStateThatDoesNotFitInMemory() {
        // 2000 x 2000 inputs with 32 x 32 positions: 4e6 x 1024^2 doubles per array, 11 arrays (depth 2 with any
        // activation and convolution): about 336 TiB, and 4 arrays (122 TiB) of Java heap.
        INDArray x = Nd4j.zeros(2000, 1, 32, 32);
        assertThatThrownBy(() -> new CnnArchitecture().inputKernel(x, x, KernelLayout.FULL, 2))
                .isInstanceOf(FrameworkException.class)
                .satisfies(e -> assertThat(((FrameworkException) e).errorCode())
                        .isEqualTo(ErrorCode.INSUFFICIENT_MEMORY))
                .hasMessageStartingWith("the full spatial kernel state for 2000 x 2000 inputs with 1024 positions "
                        + "(4194304000000 doubles per array) needs about 336 TiB of native memory and 122 TiB of Java "
                        + "heap, but only ")
                .hasMessageEndingWith("; compute the limit with Network.limit, which splits x1 and x2 into blocks that "
                        + "fit, or raise the memory limits (-Xmx, -Dorg.bytedeco.javacpp.maxphysicalbytes; "
                        + "bin/thetalazy reads THETALAZY_JAVA_OPTS), or use the flatten readout, whose diagonal state "
                        + "is P times smaller");
        KernelState diagonal = new CnnArchitecture().inputKernel(x.get(NDArrayIndex.interval(0, 2)),
                x.get(NDArrayIndex.interval(0, 2)), KernelLayout.DIAGONAL, 2);
        assertThat(diagonal.nngp().shape()).containsExactly(2, 2, 32, 32);
    }

    static Stream<Arguments> blockCases() {
        CnnOptions same = CnnOptions.defaults();
        CnnOptions strided = new CnnOptions(2, 2, Padding.VALID, Readout.FLATTEN);
        return Stream.of(Arguments.of(Shape.of(2, 5, 4), same, Activations.RELU, false),
                Arguments.of(Shape.of(2, 5, 4), same.withReadout(Readout.GLOBAL_AVERAGE), Activations.RELU, false),
                Arguments.of(Shape.of(2, 9, 8), strided, Activations.ERF, true),
                Arguments.of(Shape.of(2, 9, 8), strided.withReadout(Readout.GLOBAL_AVERAGE), Activations.ERF, true),
                Arguments.of(Shape.of(2, 9), same.withReadout(Readout.GLOBAL_AVERAGE), TestDuals.ERF, false),
                Arguments.of(Shape.of(2, 9), same, TestDuals.RELU, true));
    }

    @ParameterizedTest
    @MethodSource("blockCases")
    void blocksGiveTheWholeLimit(Shape input, CnnOptions options, Activation activation, boolean bias) {
        NetworkSpec spec = Fixtures.spec(input, 4, 2, activation, bias ? new StandardRule(StandardRule.Gain.HE)
                : new NtkRule(), bias, options);
        Network network = new CnnArchitecture().network(spec);
        INDArray x1 = Fixtures.input(7, input, "blocks-x1");
        INDArray x2 = Fixtures.input(5, input, "blocks-x2");
        for (INDArray second : new INDArray[] {x1, x2}) {
            KernelLimit whole = network.limit(x1, second);
            KernelMemory memory = memoryForBlocks(network, 7, second.size(0), 2);
            KernelTiling tiling = KernelTiling.plan(7, second.size(0), second == x1, 4, network.footprint(), memory);
            assertThat(tiling.rows()).isEqualTo(2);
            assertThat(tiling.blocks()).isEqualTo(second == x1 ? 10 : 12);
            KernelLimit blocks = network.limit(x1, second, memory);
            assertThat(relativeError(blocks.nngp(), whole.nngp())).isLessThan(1e-14);
            assertThat(relativeError(blocks.var1(), whole.var1())).isLessThan(1e-14);
            assertThat(relativeError(blocks.var2(), whole.var2())).isLessThan(1e-14);
            for (int l = 1; l <= 3; l++) {
                assertThat(relativeError(blocks.layer(l), whole.layer(l))).as("K^[%d]", l).isLessThan(1e-13);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("blockCases")
    void streamedActivationRuleGivesTheBroadcastRuleBitForBit(Shape input, CnnOptions options, Activation activation,
            boolean bias) {
        if (!activation.dual().hasRows()) {
            return;
        }
        ScalingRule rule = bias ? new StandardRule(StandardRule.Gain.HE) : new NtkRule();
        Network streamed = new CnnArchitecture().network(Fixtures.spec(input, 4, 3, activation, rule, bias, options));
        Activation broadcast = new TestDuals.WithDual(activation, new ArrayOnlyDual(activation.dual()));
        Network reference = new CnnArchitecture().network(Fixtures.spec(input, 4, 3, broadcast, rule, bias, options));
        INDArray x1 = Fixtures.input(4, input, "streamed-x1");
        INDArray x2 = Fixtures.input(3, input, "streamed-x2");
        KernelLimit a = streamed.limit(x1, x2);
        KernelLimit b = reference.limit(x1, x2);
        assertThat(a.nngp().data().asDouble()).containsExactly(b.nngp().data().asDouble());
        for (int l = 1; l <= 4; l++) {
            assertThat(a.layer(l).dup().data().asDouble()).as("K^[%d]", l)
                    .containsExactly(b.layer(l).dup().data().asDouble());
        }
    }

    @Test
    void refusesWhenOneInputPairDoesNotFit() {
        NetworkSpec spec = Fixtures.spec(Shape.of(1, 14, 14), 4, 3, Activations.RELU, new NtkRule(), false,
                CnnOptions.defaults().withReadout(Readout.GLOBAL_AVERAGE));
        Network network = new CnnArchitecture().network(spec);
        INDArray x = Fixtures.input(3, Shape.of(1, 14, 14), "refuse-x");
        // one pair: L + 3 = 6 arrays of 196^2 doubles (1.76 MiB) and 4 per-sample arrays of 196^2 (1.17 MiB) each
        assertThatThrownBy(() -> network.limit(x, x, KernelMemory.of(4L << 20, 1L << 30)))
                .isInstanceOf(FrameworkException.class)
                .satisfies(e -> assertThat(((FrameworkException) e).errorCode())
                        .isEqualTo(ErrorCode.INSUFFICIENT_MEMORY))
                .hasMessage("the infinite-width limit of 3 x 3 input pairs needs about 22.9 MiB (1.76 MiB per pair), "
                        + "more than the 2.00 MiB it may use (50% of the available 4.00 MiB: a fixed budget of 4.00 MiB "
                        + "off-heap and 1.00 GiB of Java heap); even in blocks, one pair needs 4.10 MiB beside the 408 B "
                        + "of the 3 x 3 results; raise the memory limits (-Xmx, -Dorg.bytedeco.javacpp.maxphysicalbytes; "
                        + "bin/thetalazy reads THETALAZY_JAVA_OPTS), or use the flatten readout, whose diagonal state is "
                        + "P times smaller");
    }

    /** Memory for which the plan takes blocks of {@code side} rows (results: nngp and L + 1 components). */
    private static KernelMemory memoryForBlocks(Network network, long n1, long n2, long side) {
        KernelFootprint footprint = network.footprint();
        double results = Double.BYTES * ((network.trainables().size() + 1.0) * n1 * n2 + n1 + n2);
        long bytes = (long) Math.ceil((results + footprint.offHeapBytes(side, side) + footprint.pairBytes())
                / KernelTiling.HEADROOM);
        return KernelMemory.of(bytes, Long.MAX_VALUE / 2);
    }

    /** RMS over seeds of the per-seed max_l |G^[l] - K^[l]| / |K^[l]| at each width, and its log-log slope. */
    static double slope(Shape input, Readout readout, Activation activation, ScalingRule rule, boolean bias,
            int[] widths, int seeds, int samples, String label) {
        INDArray x = Fixtures.input(samples, input, label);
        double[] m = new double[widths.length];
        double[] rms = new double[widths.length];
        for (int i = 0; i < widths.length; i++) {
            NetworkSpec spec = Fixtures.spec(input, widths[i], 2, activation, rule, bias,
                    CnnOptions.defaults().withReadout(readout));
            Network network = new CnnArchitecture().network(spec);
            KernelLimit limit = network.limit(x, x);
            m[i] = widths[i];
            rms[i] = Fixtures.rmsError(network, x, limit, seeds);
        }
        double slope = LogLogFit.slope(m, rms);
        System.out.printf("Monte Carlo %s %s %s %s%s widths %s: RMS errors %s, slope %.3f%n", input, readout.label(),
                activation.name(), rule.name(), bias ? " bias" : "", java.util.Arrays.toString(widths),
                java.util.Arrays.toString(rms), slope);
        return slope;
    }

    static Stream<Arguments> monteCarloCases() {
        return Stream.of(Arguments.of(Readout.FLATTEN, TestDuals.RELU, new NtkRule(), false),
                Arguments.of(Readout.GLOBAL_AVERAGE, TestDuals.RELU, new NtkRule(), false),
                Arguments.of(Readout.FLATTEN, TestDuals.ERF, new StandardRule(StandardRule.Gain.HE), true));
    }

    @ParameterizedTest
    @MethodSource("monteCarloCases")
    void kernelMatchesMonteCarloAtGrowingWidth(Readout readout, Activation activation, ScalingRule rule,
            boolean bias) {
        assertThat(slope(Shape.of(2, 6), readout, activation, rule, bias, new int[] {8, 16, 32, 64, 128}, 16, 3,
                "mc-x")).isBetween(-0.65, -0.35);
    }

    @Tag("slow")
    @ParameterizedTest
    @MethodSource("monteCarloCases")
    void kernelMatchesMonteCarloAtGrowingWidthIn2d(Readout readout, Activation activation, ScalingRule rule,
            boolean bias) {
        assertThat(slope(Shape.of(2, 5, 4), readout, activation, rule, bias, new int[] {16, 32, 64, 128, 256, 512},
                24, 4, "mc-x")).isBetween(-0.65, -0.35);
    }

}
