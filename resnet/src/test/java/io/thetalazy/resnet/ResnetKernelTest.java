package io.thetalazy.resnet;

import static io.thetalazy.resnet.Fixtures.relativeError;
import static org.assertj.core.api.Assertions.assertThat;

import io.thetalazy.cnn.CnnArchitecture;
import io.thetalazy.cnn.KernelLayout;
import io.thetalazy.core.kernel.KernelMemory;
import io.thetalazy.core.kernel.KernelState;
import io.thetalazy.core.kernel.KernelTiling;
import io.thetalazy.core.layer.Activation;
import io.thetalazy.core.layer.Activations;
import io.thetalazy.core.layer.Layer;
import io.thetalazy.core.layer.Network;
import io.thetalazy.core.layer.NetworkSpec;
import io.thetalazy.core.layer.Params;
import io.thetalazy.core.layer.Serial;
import io.thetalazy.core.param.NtkRule;
import io.thetalazy.core.param.ScalingRule;
import io.thetalazy.core.param.StandardRule;
import io.thetalazy.core.testing.LogLogFit;
import io.thetalazy.core.testing.Tolerances;
import io.thetalazy.kernels.empirical.EmpiricalKernels;
import io.thetalazy.kernels.empirical.ExplicitGradientKernels;
import io.thetalazy.kernels.empirical.TangentKernels;
import io.thetalazy.core.layer.KernelLimit;
import io.thetalazy.kernels.limit.LimitKernels;
import io.thetalazy.kernels.montecarlo.MonteCarloEstimate;
import io.thetalazy.kernels.montecarlo.MonteCarloKernels;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Residual kernels (docs/theory.md#residual-networks): contracted Theta_l against explicit gradients, the composed
 * limit against a closed form (linear activation), against the embedding-and-readout network (tau = 0) and against
 * Monte Carlo of wide networks (docs/theory.md#what-correct-means: RMS over 16 seeds of the per-seed max_l |G^[l] -
 * K^[l]| / |K^[l]|, slope -1/2 over 5 widths spanning 16x).
 */
final class ResnetKernelTest {
    private static final ScalingRule HE = new StandardRule(StandardRule.Gain.HE);
    private static final int[] WIDTHS = {32, 64, 128, 256, 512};
    private static final int SEEDS = 16;

    static Stream<Arguments> oracleCases() {
        return Stream.of(
                Arguments.of(Fixtures.dense(5, 2, Activations.RELU, HE, 1, false)),
                Arguments.of(Fixtures.dense(5, 2, Activations.TANH, HE, "1/sqrt(B)", true)),
                Arguments.of(Fixtures.conv(4, 1, Activations.RELU, HE, 1, false, "flatten")),
                Arguments.of(Fixtures.conv(4, 2, Activations.ERF, HE, 0.5, true, "global-average")));
    }

    private static INDArray inputs(NetworkSpec spec, int n, long seed) {
        return spec.inputShape().rank() == 1 ? Fixtures.points(n, seed) : Fixtures.signals(n, seed);
    }

    @ParameterizedTest
    @MethodSource("oracleCases")
    void contractedKernelsEqualTheExplicitGradientKernels(NetworkSpec spec) {
        Network network = Fixtures.network(spec);
        Params params = network.init(3);
        INDArray x1 = inputs(spec, 4, 1);
        INDArray x2 = inputs(spec, 3, 2);
        TangentKernels contracted = EmpiricalKernels.of(network).compute(params, x1, x2);
        TangentKernels explicit = ExplicitGradientKernels.of(network).compute(params, x1, x2);
        assertThat(contracted.layerCount()).isEqualTo(spec.depth() + 1);
        for (int l = 1; l <= contracted.layerCount(); l++) {
            assertThat(relativeError(contracted.theta(l), explicit.theta(l))).as("Theta_%d", l)
                    .isLessThan(Tolerances.ORACLE_RELATIVE);
        }
    }

    /**
     * Linear activation: every block multiplies the covariance by 1 + a, a = tau^2 sigma_v^2 sigma_w^2, so
     * Sigma^B = (1 + a)^B Sigma^0 = K^[1] = K^[readout], and each branch layer has K = a (1 + a)^(B - 1) Sigma^0.
     */
    @Test
    void linearActivationHasTheClosedForm() {
        int blocks = 3;
        double tau = 0.5;
        double a = tau * tau * 2 * 2;   // He: sigma_v^2 = sigma_w^2 = 2
        INDArray x = Fixtures.points(6, 4);
        INDArray sigma0 = x.mmul(x.transpose()).divi(Fixtures.DIMENSION);
        KernelLimit limit = LimitKernels.of(Fixtures.network(Fixtures.dense(16, blocks, Activations.LINEAR, HE, tau,
                false))).compute(x);
        List<INDArray> layers = limit.layers();
        assertThat(layers).hasSize(2 * blocks + 2);
        INDArray grown = sigma0.mul(Math.pow(1 + a, blocks));
        INDArray branch = sigma0.mul(a * Math.pow(1 + a, blocks - 1));
        assertThat(relativeError(layers.get(0), grown)).isLessThan(1e-14);
        assertThat(relativeError(layers.get(2 * blocks + 1), grown)).isLessThan(1e-14);
        for (int l = 2; l <= 2 * blocks + 1; l++) {
            assertThat(relativeError(layers.get(l - 1), branch)).as("K^[%d]", l).isLessThan(1e-14);
        }
    }

    static Stream<Arguments> zeroCases() {
        return Stream.of(
                Arguments.of(Fixtures.dense(8, 2, Activations.RELU, HE, 0, false)),
                Arguments.of(Fixtures.dense(8, 2, Activations.ERF, HE, 0, true)),
                Arguments.of(Fixtures.conv(4, 2, Activations.RELU, HE, 0, false, "flatten")),
                Arguments.of(Fixtures.conv(4, 1, Activations.TANH, HE, 0, false, "global-average")));
    }

    /** tau = 0: the limit of the embedding and the readout alone, bit for bit; branch components exactly zero. */
    @ParameterizedTest
    @MethodSource("zeroCases")
    void zeroMultiplierGivesTheEmbeddingAndReadoutNetwork(NetworkSpec spec) {
        Network network = Fixtures.network(spec);
        INDArray x = inputs(spec, 5, 6);
        KernelLimit limit = network.limit(x, x);
        List<Layer> parts = ((Serial) network.body()).layers();
        List<Layer> skipOnly = parts.stream().filter(p -> !(p instanceof io.thetalazy.core.layer.Residual)).toList();
        KernelState input = spec.inputShape().rank() == 1 ? KernelState.ofInputs(x, x)
                : new CnnArchitecture().inputKernel(x, x, CnnArchitecture.layout(
                        ResnetOptions.from(spec.options(), spec.depth()).readout()), spec.depth());
        KernelState reference = new Serial(skipOnly).kernel(input);
        int readout = spec.depth() + 1;
        assertThat(reference.layers()).hasSize(2);
        assertThat(limit.nngp().ravel().toDoubleVector()).containsExactly(reference.nngp().ravel().toDoubleVector());
        assertThat(limit.layer(1).ravel().toDoubleVector())
                .containsExactly(reference.layer(1).ravel().toDoubleVector());
        assertThat(limit.layer(readout).ravel().toDoubleVector())
                .containsExactly(reference.layer(2).ravel().toDoubleVector());
        for (int l = 2; l < readout; l++) {
            assertThat(limit.layer(l).amaxNumber().doubleValue()).as("K^[%d]", l).isZero();
        }
        // at finite width the branches get no cotangent: their Theta_l vanish exactly too
        TangentKernels empirical = EmpiricalKernels.of(network).compute(network.init(2), x);
        for (int l = 2; l < readout; l++) {
            assertThat(empirical.theta(l).amaxNumber().doubleValue()).as("Theta_%d", l).isZero();
        }
    }

    @ParameterizedTest
    @MethodSource("oracleCases")
    void blocksOfInputPairsGiveTheWholeLimitAndItIsSymmetricPsd(NetworkSpec spec) {
        Network network = Fixtures.network(spec);
        INDArray x = inputs(spec, 7, 8);
        KernelLimit whole = network.limit(x, x);
        // room for the results and blocks of two rows (as cnn's CnnKernelTest sizes them)
        double results = Double.BYTES * ((spec.depth() + 3.0) * 49 + 14);
        long bytes = (long) Math.ceil((results + network.footprint().offHeapBytes(2, 2)
                + network.footprint().pairBytes()) / KernelTiling.HEADROOM);
        KernelMemory memory = KernelMemory.of(bytes, Long.MAX_VALUE / 2);
        KernelTiling tiling = KernelTiling.plan(7, 7, true, spec.depth() + 2, network.footprint(), memory);
        assertThat(tiling.rows()).as("rows per block").isEqualTo(2);
        KernelLimit blocks = network.limit(x, x, memory);
        for (int l = 1; l <= spec.depth() + 1; l++) {
            assertThat(relativeError(blocks.layer(l), whole.layer(l))).as("K^[%d]", l).isLessThan(1e-13);
        }
        // LimitKernels refuses limits that are not symmetric PSD (INVALID_KERNEL)
        assertThat(LimitKernels.of(network).compute(x).layers()).hasSize(spec.depth() + 1);
    }

    static Stream<Arguments> monteCarloCases() {
        return Stream.of(
                Arguments.of("dense", Activations.RELU, "1"),
                Arguments.of("dense", Activations.ERF, "1/sqrt(B)"),
                Arguments.of("conv", Activations.RELU, "1/sqrt(B)"));
    }

    static Stream<Arguments> everyMonteCarloCase() {
        return Stream.of("dense", "conv").flatMap(branch -> Stream.of(Activations.RELU, Activations.ERF)
                .flatMap(activation -> Stream.of("1", "1/sqrt(B)").map(tau -> Arguments.of(branch, activation, tau))));
    }

    @ParameterizedTest(name = "{0} {1} tau {2}")
    @MethodSource("monteCarloCases")
    void limitMatchesMonteCarloWithErrorFallingAsInverseSquareRootOfWidth(String branch, Activation activation,
            String tau) {
        assertSlope(branch, activation, tau);
    }

    @Tag("slow")
    @ParameterizedTest(name = "{0} {1} tau {2}")
    @MethodSource("everyMonteCarloCase")
    void everyBranchActivationAndMultiplier(String branch, Activation activation, String tau) {
        assertSlope(branch, activation, tau);
    }

    /**
     * docs/theory.md#residual-networks's NumPy figures for the normalized network (sigma = 1: the ntk rule), B = 2,
     * relu, tau = 1 and 1/2: max-layer errors 0.27, 0.11, 0.06 at m = 250, 1000, 4000. Here the RMS over 16 seeds of
     * the per-seed max-layer error, on 6 points of the sphere: it falls like m^-1/2 at the same scale.
     */
    @Tag("slow")
    @ParameterizedTest(name = "tau {0}")
    @MethodSource
    void designFiguresAtWidthsUpTo4000(double tau) {
        int[] widths = {250, 1000, 4000};
        double[] m = new double[widths.length];
        double[] rms = new double[widths.length];
        INDArray x = Fixtures.points(6, 12);
        for (int i = 0; i < widths.length; i++) {
            Network network = Fixtures.network(Fixtures.dense(widths[i], 2, Activations.RELU, new NtkRule(), tau,
                    false));
            KernelLimit limit = LimitKernels.of(network).compute(x);
            m[i] = widths[i];
            rms[i] = MonteCarloKernels.estimate(network, x, null, SEEDS, 2028).rmsRelativeError(limit.layers());
        }
        double slope = LogLogFit.slope(m, rms);
        System.out.printf("resnet B = 2, relu, tau %s at m = 250, 1000, 4000: errors %s, slope %.3f%n", tau,
                Arrays.toString(rms), slope);
        assertThat(slope).isBetween(-0.5 - Tolerances.MONTE_CARLO_SLOPE, -0.5 + Tolerances.MONTE_CARLO_SLOPE);
        assertThat(rms[0]).isLessThan(0.5);
    }

    static Stream<Arguments> designFiguresAtWidthsUpTo4000() {
        return Stream.of(Arguments.of(1.0), Arguments.of(0.5));
    }

    /** Two blocks, He gains (sigma = sqrt 2, inside for the branches), 6 inputs. */
    static double assertSlope(String branch, Activation activation, String tau) {
        double[] m = new double[WIDTHS.length];
        double[] rms = new double[WIDTHS.length];
        INDArray x = branch.equals("dense") ? Fixtures.points(6, 11) : Fixtures.signals(4, 11);
        for (int i = 0; i < WIDTHS.length; i++) {
            NetworkSpec spec = branch.equals("dense") ? Fixtures.dense(WIDTHS[i], 2, activation, HE, tau, false)
                    : Fixtures.conv(WIDTHS[i], 2, activation, HE, tau, false, "flatten");
            Network network = Fixtures.network(spec);
            KernelLimit limit = LimitKernels.of(network).compute(x);
            MonteCarloEstimate estimate = MonteCarloKernels.estimate(network, x, null, SEEDS, 2026);
            m[i] = WIDTHS[i];
            rms[i] = estimate.rmsRelativeError(limit.layers());
        }
        double slope = LogLogFit.slope(m, rms);
        System.out.printf("resnet limit vs Monte Carlo: %s %s tau %s: slope %.3f, errors %s%n", branch,
                activation.name(), tau, slope, Arrays.toString(rms));
        assertThat(slope).as("slope of log error against log m; errors %s", Arrays.toString(rms))
                .isBetween(-0.5 - Tolerances.MONTE_CARLO_SLOPE, -0.5 + Tolerances.MONTE_CARLO_SLOPE);
        assertThat(rms[WIDTHS.length - 1]).as("error at m = 512").isLessThan(0.3);
        return slope;
    }
}
