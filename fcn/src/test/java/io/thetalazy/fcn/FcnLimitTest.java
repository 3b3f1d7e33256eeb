package io.thetalazy.fcn;

import static org.assertj.core.api.Assertions.assertThat;

import io.thetalazy.core.init.Initializers;
import io.thetalazy.core.layer.Activation;
import io.thetalazy.core.layer.Activations;
import io.thetalazy.core.layer.Network;
import io.thetalazy.core.layer.NetworkSpec;
import io.thetalazy.core.layer.Shape;
import io.thetalazy.core.param.ScalingRule;
import io.thetalazy.core.param.StandardRule;
import io.thetalazy.core.param.ThetaLazyRule;
import io.thetalazy.core.testing.LogLogFit;
import io.thetalazy.core.testing.Tolerances;
import io.thetalazy.core.layer.KernelLimit;
import io.thetalazy.kernels.limit.LimitKernels;
import io.thetalazy.kernels.montecarlo.MonteCarloEstimate;
import io.thetalazy.kernels.montecarlo.MonteCarloKernels;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The FCN's composed kernel rules (core's duals) against Monte Carlo of wide networks
 * (docs/theory.md#what-correct-means): the RMS over 16 seeds of the per-seed error max_l |G^[l] - K^[l]| / |K^[l]|
 * falls like m^-1/2 over 5 widths spanning 16x, for relu, erf and tanh at depths 1 to 4, with gains sigma_l != 1 (He's
 * sqrt 2, kept inside for erf and tanh).
 */
final class FcnLimitTest {
    private static final int[] WIDTHS = {32, 64, 128, 256, 512};
    private static final int SEEDS = 16;

    static Stream<Arguments> grid() {
        ScalingRule he = new StandardRule(StandardRule.Gain.HE);
        ScalingRule lazy = new ThetaLazyRule(0.3, 1.5, List.of(0.1, 0.0, 0.2, 0.0, 0.1));
        return Stream.of(
                Arguments.of(Activations.RELU, 1, he), Arguments.of(Activations.ERF, 2, he),
                Arguments.of(Activations.TANH, 3, he), Arguments.of(Activations.RELU, 4, lazy),
                Arguments.of(Activations.ERF, 4, he), Arguments.of(Activations.TANH, 1, new ThetaLazyRule(0.3, 1.5, List.of(0.1, 0.2))));
    }

    static Stream<Arguments> everyCase() {
        ScalingRule he = new StandardRule(StandardRule.Gain.HE);
        return Stream.of(Activations.RELU, Activations.ERF, Activations.TANH)
                .flatMap(a -> Stream.of(1, 2, 3, 4).map(depth -> Arguments.of(a, depth, he)));
    }

    @ParameterizedTest(name = "{0} depth {1} {2}")
    @MethodSource("grid")
    void limitMatchesMonteCarloWithErrorFallingAsInverseSquareRootOfWidth(Activation activation, int depth,
            ScalingRule rule) {
        assertSlope(activation, depth, rule);
    }

    @Tag("slow")
    @ParameterizedTest(name = "{0} depth {1} {2}")
    @MethodSource("everyCase")
    void everyActivationAndDepth(Activation activation, int depth, ScalingRule rule) {
        assertSlope(activation, depth, rule);
    }

    private static void assertSlope(Activation activation, int depth, ScalingRule rule) {
        INDArray x = Initializers.GAUSSIAN.sample(new long[] {8, 3}, new java.util.SplittableRandom(5));
        x.diviColumnVector(x.norm2(1).reshape(8, 1)).muli(Math.sqrt(3));
        double[] widths = new double[WIDTHS.length];
        double[] errors = new double[WIDTHS.length];
        for (int i = 0; i < WIDTHS.length; i++) {
            NetworkSpec spec = new NetworkSpec("fcn", WIDTHS[i], depth, Shape.of(3), activation, false,
                    Initializers.GAUSSIAN, false, rule, Map.of());
            Network network = new FcnArchitecture().network(spec);
            KernelLimit limit = LimitKernels.of(network).compute(x);
            MonteCarloEstimate estimate = MonteCarloKernels.estimate(network, x, null, SEEDS, 2025);
            widths[i] = WIDTHS[i];
            errors[i] = estimate.rmsRelativeError(limit.layers());
        }
        double slope = LogLogFit.slope(widths, errors);
        System.out.printf("limit vs Monte Carlo: %s depth %d %s: slope %.3f, error at m=512 %.3g%n", activation.name(),
                depth, rule.name(), slope, errors[WIDTHS.length - 1]);
        assertThat(slope).as("slope of log error against log m; errors %s", Arrays.toString(errors))
                .isBetween(-0.5 - Tolerances.MONTE_CARLO_SLOPE, -0.5 + Tolerances.MONTE_CARLO_SLOPE);
        assertThat(errors[WIDTHS.length - 1]).as("error at m = 512").isLessThan(0.5);
    }
}
