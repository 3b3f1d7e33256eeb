package io.thetalazy.fcn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.thetalazy.core.layer.Activations;
import io.thetalazy.core.param.LxmzRule;
import io.thetalazy.core.param.MeanFieldRule;
import io.thetalazy.core.param.MupRule;
import io.thetalazy.core.param.NtkRule;
import io.thetalazy.core.param.Parametrization;
import io.thetalazy.core.param.Regime;
import io.thetalazy.core.param.ScalingRule;
import io.thetalazy.core.param.StandardRule;
import io.thetalazy.core.param.ThetaLazyRule;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

final class ParametrizationTest {
    private static Parametrization view(ScalingRule rule, int width, int depth, int d) {
        return Parametrization.of(Fixtures.network(Fixtures.spec(width, depth, d, Activations.RELU, rule)));
    }

    static Stream<Arguments> lxmzTableOne() {
        return Stream.of(
                Arguments.of(new StandardRule(StandardRule.Gain.LECUN), 0.5, 0.5, Regime.THETA_LAZY),
                Arguments.of(new StandardRule(StandardRule.Gain.HE), 0.5, 0.5, Regime.THETA_LAZY),
                Arguments.of(new StandardRule(StandardRule.Gain.XAVIER), 1.0, 0.0, Regime.CRITICAL),
                Arguments.of(new NtkRule(), 0.5, 0.0, Regime.THETA_LAZY),
                Arguments.of(new MeanFieldRule(), 1.0, 0.0, Regime.CRITICAL));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void lxmzTableOne(ScalingRule rule, double gamma, double gammaPrime, Regime regime) {
        Parametrization view = view(rule, 1000, 1, 2);
        assertThat(view.gamma()).hasValueSatisfying(g -> assertThat(g).isCloseTo(gamma, within(1e-12)));
        assertThat(view.gammaPrime()).hasValueSatisfying(g -> assertThat(g).isCloseTo(gammaPrime, within(1e-12)));
        assertThat(view.regime()).isEqualTo(regime);
    }

    @Test
    void kappaIsSqrtWidthTimesAConstantForNtkAndStandard() {
        for (int depth : new int[] {1, 3}) {
            for (int width : new int[] {64, 256, 1024}) {
                assertThat(view(new NtkRule(), width, depth, 5).kappa().value())
                        .isCloseTo(Math.sqrt(width), within(1e-9));
                assertThat(view(new StandardRule(StandardRule.Gain.LECUN), width, depth, 5).kappa().value())
                        .isCloseTo(Math.sqrt(width), within(1e-9));
                assertThat(view(new StandardRule(StandardRule.Gain.HE), width, depth, 5).kappa().value())
                        .isCloseTo(Math.pow(2, (depth + 1) / 2.0) * Math.sqrt(width), within(1e-9));
                assertThat(view(new NtkRule(), width, depth, 5).exponent()).contains(0.5);
            }
        }
    }

    @Test
    void exponentComesFromDeclaredPowersNotFromOneWidth() {
        Parametrization xavier = view(new StandardRule(StandardRule.Gain.XAVIER), 1000, 1, 2);
        assertThat(xavier.exponent()).hasValueSatisfying(q -> assertThat(q).isCloseTo(0, within(1e-12)));
        assertThat(xavier.logKappaOverLogM()).isNotCloseTo(0, within(1e-3));
        Parametrization meanField = view(new LxmzRule(1, 0, 0), 1000, 1, 2);
        assertThat(meanField.kappa().value()).isCloseTo(Math.sqrt(2), within(1e-12));
        assertThat(meanField.logKappaOverLogM()).isCloseTo(Math.log(Math.sqrt(2)) / Math.log(1000), within(1e-12));
    }

    @Test
    void thetaLazyRuleHitsItsKappaWhateverTheInitExponents() {
        ThetaLazyRule rule = new ThetaLazyRule(0.3, 2.5, List.of(0.2, -0.1, 0.4, 0.25));
        Parametrization view = view(rule, 500, 3, 4);
        assertThat(view.kappa().value()).isCloseTo(2.5 * Math.pow(500, 0.3), within(1e-9));
        assertThat(view.exponent()).hasValueSatisfying(q -> assertThat(q).isCloseTo(0.3, within(1e-12)));
        assertThat(view.mobilities().get(2).value()).isCloseTo(Math.pow(500, 0.8), within(1e-6));
        assertThat(view.regime()).isEqualTo(Regime.THETA_LAZY);
        for (var gain : view.gains()) {
            assertThat(gain.value()).isCloseTo(1, within(1e-12));
        }
    }

    @Test
    void lxmzRuleReproducesItsCoordinates() {
        Parametrization view = view(new LxmzRule(1.75, 0.3, 0.2), 800, 1, 2);
        assertThat(view.gamma()).hasValueSatisfying(g -> assertThat(g).isCloseTo(1.75, within(1e-12)));
        assertThat(view.gammaPrime()).hasValueSatisfying(g -> assertThat(g).isCloseTo(0.3, within(1e-12)));
        assertThat(view.kappa().value()).isCloseTo(Math.sqrt(2) * Math.pow(800, 1 - 1.75), within(1e-12));
        assertThat(view(new LxmzRule(1.75, 0, 0), 800, 1, 2).regime()).isEqualTo(Regime.CONDENSED);
        assertThat(view(new LxmzRule(1.75, 0.9, 0), 800, 1, 2).regime()).isEqualTo(Regime.W_LAZY);
    }

    @Test
    void mupAndDeepMeanFieldHaveKappaOrderOne() {
        Parametrization mup = view(new MupRule(), 256, 3, 4);
        assertThat(mup.kappa().value()).isCloseTo(1, within(1e-12));
        assertThat(mup.regime()).isEqualTo(Regime.KAPPA_ORDER_ONE);
        assertThat(mup.mobilities().get(0).value()).isCloseTo(256 * 4, within(1e-9));
        assertThat(view(new MeanFieldRule(), 256, 3, 4).regime()).isEqualTo(Regime.KAPPA_ORDER_ONE);
        assertThat(view(new ThetaLazyRule(-0.2), 256, 3, 4).regime()).isEqualTo(Regime.NO_PREDICTION);
    }

    @Test
    void nonHomogeneousActivationKeepsGainsInside() {
        Parametrization he = Parametrization.of(Fixtures.network(
                Fixtures.spec(100, 2, 3, Activations.TANH, new StandardRule(StandardRule.Gain.HE))));
        assertThat(he.gainsInside()).isTrue();
        assertThat(he.kappaConvention()).isEqualTo("gains-inside");
        assertThat(he.kappa().value()).isCloseTo(Math.sqrt(2 * 100), within(1e-9));
        assertThat(he.regime()).isEqualTo(Regime.THETA_LAZY);
        Parametrization xavier = Parametrization.of(Fixtures.network(
                Fixtures.spec(100, 2, 3, Activations.TANH, new StandardRule(StandardRule.Gain.XAVIER))));
        assertThat(xavier.regime()).isEqualTo(Regime.NO_NORMALIZED_VIEW);
        assertThat(xavier.exponent()).isEmpty();
        assertThat(xavier.notes()).anyMatch(note -> note.startsWith("no normalized view: sigma_1 depends on m"));
    }
}
