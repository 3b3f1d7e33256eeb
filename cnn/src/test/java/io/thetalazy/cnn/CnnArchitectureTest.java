package io.thetalazy.cnn;

import static io.thetalazy.cnn.Fixtures.relativeError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.thetalazy.core.error.ErrorCode;
import io.thetalazy.core.error.FrameworkException;
import io.thetalazy.core.layer.Activations;
import io.thetalazy.core.layer.Network;
import io.thetalazy.core.layer.NetworkSpec;
import io.thetalazy.core.layer.Params;
import io.thetalazy.core.layer.Shape;
import io.thetalazy.core.layer.TrainableLayer;
import io.thetalazy.core.param.LayerScaling;
import io.thetalazy.core.param.LayerSlot;
import io.thetalazy.core.param.MeanFieldRule;
import io.thetalazy.core.param.MupRule;
import io.thetalazy.core.param.NtkRule;
import io.thetalazy.core.param.Parametrization;
import io.thetalazy.core.param.Scaled;
import io.thetalazy.core.param.ScalingRule;
import io.thetalazy.core.param.StandardRule;
import io.thetalazy.core.param.ThetaLazyRule;
import io.thetalazy.core.plugin.Architecture;
import io.thetalazy.core.train.StepSize;
import io.thetalazy.core.train.Trainer;
import io.thetalazy.core.train.TrainingConfig;
import io.thetalazy.core.train.TrainingListener;
import io.thetalazy.core.train.TrainingResult;
import io.thetalazy.kernels.testing.ArchitectureContract;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.ndarray.INDArray;

final class CnnArchitectureTest implements ArchitectureContract {
    private static final Shape SIGNAL = Shape.of(2, 6);

    @Override
    public Architecture architecture() {
        return new CnnArchitecture();
    }

    @Override
    public Shape tinyInputShape() {
        return SIGNAL;
    }

    @BeforeAll
    static void doubles() {
        Fixtures.useDoubles();
    }

    private static NetworkSpec spec(Shape input, int width, ScalingRule rule, CnnOptions options) {
        return Fixtures.spec(input, width, 2, Activations.RELU, rule, false, options);
    }

    @Test
    void buildsNumberedConvolutionsAndAFlattenReadout() {
        CnnOptions options = new CnnOptions(3, 2, Padding.SAME, Readout.FLATTEN);
        Network network = new CnnArchitecture().network(spec(Shape.of(3, 9, 8), 5, new NtkRule(), options));
        List<TrainableLayer> layers = network.trainables();
        assertThat(layers).extracting(TrainableLayer::name).containsExactly("conv2d-1", "conv2d-2", "readout-3");
        assertThat(layers.get(0).weightShape().dimensions()).containsExactly(5, 3, 3, 3);
        assertThat(layers.get(1).weightShape().dimensions()).containsExactly(5, 5, 3, 3);
        // 9 x 8 -> 5 x 4 -> 3 x 2 positions: the readout sees 5 * 6 features.
        assertThat(layers.get(2).weightShape().dimensions()).containsExactly(1, 30);
        assertThat(layers).extracting(l -> l.slot().fanIn()).containsExactly(27, 45, 30);
        assertThat(layers).extracting(l -> l.slot().fanInPower()).containsExactly(0.0, 1.0, 1.0);
        assertThat(network.apply(network.init(1), Fixtures.input(4, Shape.of(3, 9, 8), "shape")).shape())
                .containsExactly(4, 1);
    }

    @Test
    void globalAverageReadoutSeesTheChannels() {
        Network network = new CnnArchitecture().network(spec(SIGNAL, 7, new NtkRule(),
                CnnOptions.defaults().withReadout(Readout.GLOBAL_AVERAGE)));
        assertThat(network.trainables()).extracting(TrainableLayer::name)
                .containsExactly("conv1d-1", "conv1d-2", "readout-3");
        assertThat(network.trainables().get(2).weightShape().dimensions()).containsExactly(1, 7);
    }

    @Test
    void sameSeedGivesTheSameOutputs() {
        Network network = new CnnArchitecture().network(spec(SIGNAL, 4, new NtkRule(), CnnOptions.defaults()));
        INDArray x = Fixtures.input(3, SIGNAL, "seed");
        assertThat(relativeError(network.apply(network.init(5), x), network.apply(network.init(5), x))).isZero();
        assertThat(relativeError(network.apply(network.init(6), x), network.apply(network.init(5), x))).isPositive();
    }

    /**
     * f = kappa fhat with fhat = (1/m) sum Zhat^[L+1] x^[L] the same for every rule on the same Z (ReLU, no bias), so
     * f / kappa must not depend on the rule; and kappa(ntk) is sqrt(m / P) for flatten, sqrt(m) for global average.
     */
    @ParameterizedTest
    @EnumSource(Readout.class)
    void kappaOfEveryRuleScalesTheSameNormalizedOutput(Readout readout) {
        int width = 6;
        CnnOptions options = CnnOptions.defaults().withStride(2).withReadout(readout);
        INDArray x = Fixtures.input(3, SIGNAL, "kappa");
        List<ScalingRule> rules = List.of(new NtkRule(), new StandardRule(StandardRule.Gain.LECUN),
                new StandardRule(StandardRule.Gain.HE), new StandardRule(StandardRule.Gain.XAVIER),
                new MeanFieldRule(), new MupRule(), new ThetaLazyRule(0.3, 1.7, List.of(0.2)));
        INDArray reference = null;
        for (ScalingRule rule : rules) {
            Network network = new CnnArchitecture().network(spec(SIGNAL, width, rule, options));
            double kappa = Parametrization.of(network).kappa().value();
            INDArray normalized = network.apply(network.init(Fixtures.SEED), x).div(kappa);
            if (reference == null) {
                reference = normalized;
                // 6 -> 3 -> 2 positions after two stride-2 convolutions.
                double expected = readout == Readout.FLATTEN ? Math.sqrt(width / 2.0) : Math.sqrt(width);
                assertThat(kappa).isCloseTo(expected, within(1e-12));
                assertThat(Parametrization.of(network).exponent()).contains(0.5);
            } else {
                assertThat(relativeError(normalized, reference)).as(rule.name()).isLessThan(1e-12);
            }
        }
    }

    /** A rule with its learning-rate multipliers replaced (test-only: to match mobilities across rules). */
    record WithLearningRates(ScalingRule base, Function<LayerSlot, Scaled> eta) implements ScalingRule {
        @Override public String name() { return base.name(); }
        @Override public Map<String, Object> parameters() { return base.parameters(); }
        @Override public LayerScaling weight(LayerSlot slot) {
            LayerScaling scaling = base.weight(slot);
            return new LayerScaling(scaling.forward(), scaling.initStd(), eta.apply(slot));
        }
        @Override public Scaled outputMultiplier(LayerSlot readout) { return base.outputMultiplier(readout); }
        @Override public void checkDepth(int depth) { base.checkDepth(depth); }
    }

    private static List<Double> losses(NetworkSpec spec, INDArray x, INDArray y, double learningRate) {
        Network network = new CnnArchitecture().network(spec);
        Params params = network.init(Fixtures.SEED);
        List<Double> losses = new ArrayList<>();
        Trainer trainer = new Trainer(TrainingConfig.defaults().withMaxSteps(40).withLossTolerance(0));
        TrainingListener record = new TrainingListener() {
            @Override
            public void onStep(long step, long maxSteps, double loss) {
                losses.add(loss);
            }
        };
        TrainingResult result = trainer.train(network, params, x, y, StepSize.fixed(learningRate), record);
        losses.add(0, result.initialLoss());
        return losses;
    }

    private static double maxDifference(List<Double> a, List<Double> b) {
        double worst = 0;
        for (int k = 0; k < a.size(); k++) {
            worst = Math.max(worst, Math.abs(a.get(k) - b.get(k)));
        }
        return worst / a.get(0);
    }

    @Test
    void sameKappaAndMobilitiesGiveTheSameTrajectory() {
        INDArray x = Fixtures.input(6, SIGNAL, "trajectory-x");
        INDArray y = Fixtures.input(6, Shape.of(1), "trajectory-y");
        int m = 16;
        // Flatten: ntk against standard (lecun) with eta_l = 1/n_{l-1}, so both have mu_l = 1 and kappa = sqrt(m/P).
        CnnOptions flatten = CnnOptions.defaults();
        NetworkSpec ntk = spec(SIGNAL, m, new NtkRule(), flatten);
        ScalingRule standard = new StandardRule(StandardRule.Gain.LECUN);
        NetworkSpec matched = spec(SIGNAL, m, new WithLearningRates(standard, slot -> slot.fanInScaled().inverse()),
                flatten);
        assertSameNormalizedView(ntk, matched);
        List<Double> reference = losses(ntk, x, y, 0.5);
        assertThat(reference.get(40)).isLessThan(0.5 * reference.get(0));
        double flattenGap = maxDifference(reference, losses(matched, x, y, 0.5));
        // Unmatched mobilities (mu_l = n_{l-1}) must give another trajectory: the comparison can fail.
        double unmatchedGap = maxDifference(reference, losses(spec(SIGNAL, m, standard, flatten), x, y, 0.5 / m));
        // Global average: theta-lazy(gamma = 1/2, b_l) against ntk with eta_l = m^{2 b_l}: kappa = sqrt(m) and
        // mu_l = m^{2 b_l} for both.
        CnnOptions average = flatten.withReadout(Readout.GLOBAL_AVERAGE);
        List<Double> b = List.of(0.3, -0.2, 0.25);
        NetworkSpec lazy = spec(SIGNAL, m, new ThetaLazyRule(0.5, 1, b), average);
        NetworkSpec ntkMoving = spec(SIGNAL, m, new WithLearningRates(new NtkRule(),
                slot -> Scaled.power(1, slot.width(), 2 * b.get(slot.index() - 1))), average);
        assertSameNormalizedView(lazy, ntkMoving);
        double averageGap = maxDifference(losses(lazy, x, y, 0.05), losses(ntkMoving, x, y, 0.05));
        System.out.printf("same kappa, same mobilities: max |R_A - R_B| / R(0) = %.2e (flatten), %.2e (global average);"
                + " unmatched mobilities: %.2e%n", flattenGap, averageGap, unmatchedGap);
        assertThat(flattenGap).isLessThan(1e-9);
        assertThat(averageGap).isLessThan(1e-9);
        assertThat(unmatchedGap).isGreaterThan(1e-3);
    }

    private static void assertSameNormalizedView(NetworkSpec a, NetworkSpec b) {
        Parametrization pa = Parametrization.of(new CnnArchitecture().network(a));
        Parametrization pb = Parametrization.of(new CnnArchitecture().network(b));
        assertThat(pb.kappa().value()).isCloseTo(pa.kappa().value(), within(1e-12 * pa.kappa().value()));
        for (int l = 0; l < pa.mobilities().size(); l++) {
            double mu = pa.mobilities().get(l).value();
            assertThat(pb.mobilities().get(l).value()).isCloseTo(mu, within(1e-12 * mu));
        }
    }

    @Test
    void rejectsInputsThatAreNotSignalsOrImages() {
        assertThatThrownBy(() -> new CnnArchitecture().build(spec(Shape.of(10), 4, new NtkRule(),
                CnnOptions.defaults())))
                .isInstanceOf(FrameworkException.class)
                .hasMessage("cnn takes signals [C, W] or images [C, H, W], found input shape [10]; use fcn for feature "
                        + "vectors");
        assertThatThrownBy(() -> new CnnArchitecture().build(spec(Shape.of(1, 2, 3, 4), 4, new NtkRule(),
                CnnOptions.defaults())))
                .isInstanceOf(FrameworkException.class)
                .hasMessage("cnn takes signals [C, W] or images [C, H, W], found input shape [1, 2, 3, 4]; use fcn for "
                        + "feature vectors");
    }

    @Test
    void rejectsAValidKernelThatNoLongerFitsADeeperLayer() {
        NetworkSpec spec = Fixtures.spec(Shape.of(1, 5), 4, 3, Activations.RELU, new NtkRule(), false,
                CnnOptions.defaults().withPadding(Padding.VALID));
        assertThatThrownBy(() -> new CnnArchitecture().build(spec))
                .isInstanceOf(FrameworkException.class)
                .hasMessage("conv1d-3: kernel size 3 is larger than its input [1] with VALID padding; use a smaller "
                        + "kernelSize, fewer layers or stride, or padding same");
    }

    @Test
    void readsOptionsWithDefaultsAndRejectsBadOnes() {
        assertThat(CnnOptions.from(Map.of())).isEqualTo(new CnnOptions(3, 1, Padding.SAME, Readout.FLATTEN));
        Map<String, Object> given = new LinkedHashMap<>();
        given.put("kernelSize", 5);
        given.put("stride", 2.0);
        given.put("padding", "VALID");
        given.put("readout", "global-average");
        assertThat(CnnOptions.from(given)).isEqualTo(new CnnOptions(5, 2, Padding.VALID, Readout.GLOBAL_AVERAGE));
        assertThat(CnnOptions.from(CnnOptions.defaults().withReadout(Readout.GLOBAL_AVERAGE).asMap()))
                .isEqualTo(CnnOptions.defaults().withReadout(Readout.GLOBAL_AVERAGE));
        assertThat(new CnnArchitecture().optionNames()).containsExactly("kernelSize", "padding", "readout", "stride");
        assertThatThrownBy(() -> CnnOptions.from(Map.of("kernelsize", 3)))
                .isInstanceOf(FrameworkException.class)
                .hasMessage("'cnn' takes no parameter 'kernelsize' (did you mean 'kernelSize'?); it takes: "
                        + "[kernelSize, padding, readout, stride]");
        assertThatThrownBy(() -> CnnOptions.from(Map.of("padding", "sme")))
                .isInstanceOf(FrameworkException.class)
                .hasMessage("cnn option padding must be one of [same, valid], found 'sme' (did you mean 'same'?)");
        assertThatThrownBy(() -> CnnOptions.from(Map.of("readout", "average")))
                .isInstanceOf(FrameworkException.class)
                .hasMessage("cnn option readout must be one of [flatten, global-average], found 'average'");
        assertThatThrownBy(() -> CnnOptions.from(Map.of("kernelSize", 2.5)))
                .isInstanceOf(FrameworkException.class)
                .hasMessage("cnn option kernelSize must be an integer, found 2.5");
        assertThatThrownBy(() -> CnnOptions.from(Map.of("stride", 0)))
                .isInstanceOf(FrameworkException.class)
                .hasMessage("cnn option stride must be at least 1, found 0")
                .satisfies(e -> assertThat(((FrameworkException) e).errorCode()).isEqualTo(ErrorCode.INVALID_CONFIG));
    }
}
