package io.thetalazy.fcn;

import static org.assertj.core.api.Assertions.assertThat;

import io.thetalazy.core.init.Initializers;
import io.thetalazy.core.layer.Activations;
import io.thetalazy.core.layer.Network;
import io.thetalazy.core.layer.NetworkSpec;
import io.thetalazy.core.layer.Params;
import io.thetalazy.core.layer.Shape;
import io.thetalazy.core.param.LxmzRule;
import io.thetalazy.core.param.NtkRule;
import io.thetalazy.core.param.Parametrization;
import io.thetalazy.core.param.ScalingRule;
import io.thetalazy.core.testing.RescaledRule;
import io.thetalazy.core.testing.Tolerances;
import io.thetalazy.core.train.MetricsRow;
import io.thetalazy.core.train.StepSize;
import io.thetalazy.core.train.Trainer;
import io.thetalazy.core.train.TrainingConfig;
import io.thetalazy.core.train.TrainingListener;
import io.thetalazy.core.train.TrainingResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Only kappa and the mobilities matter (docs/theory.md#normalized-view, [LLZ]): raw configurations with the same kappa
 * and the same eta * mu_l, but different s_l, beta_l, eta_l and base step, train along the same loss trajectory (ReLU,
 * no biases).
 */
final class InvarianceTest {
    private static List<Double> losses(ScalingRule rule, int width, int depth, double learningRate, int steps) {
        NetworkSpec spec = new NetworkSpec("fcn", width, depth, Shape.of(2), Activations.RELU, false,
                Initializers.GAUSSIAN, false, rule, Map.of());
        Network network = Fixtures.network(spec);
        Params params = network.init(42);
        INDArray[] data = Fixtures.lxmzData();
        List<Double> losses = new ArrayList<>();
        TrainingConfig config = TrainingConfig.defaults().withMaxSteps(steps).withLossTolerance(0).withRecordEvery(1);
        TrainingResult result = new Trainer(config).train(network, params, data[0], data[1],
                StepSize.fixed(learningRate), new TrainingListener() {
                    @Override
                    public void onRecord(MetricsRow row) {
                        losses.add(row.loss());
                    }
                });
        assertThat(result.steps()).isEqualTo(steps);
        return losses;
    }

    private static double maxGap(List<Double> a, List<Double> b) {
        assertThat(a).hasSameSizeAs(b);
        double gap = 0;
        for (int k = 0; k < a.size(); k++) {
            gap = Math.max(gap, Math.abs(a.get(k) - b.get(k)));
        }
        return gap / a.get(0);
    }

    @Test
    void abcSymmetryAndGainMovesLeaveTheTrajectoryUnchanged() {
        int depth = 3;
        ScalingRule base = new NtkRule();
        // beta x c, s / c, eta x c^2 keeps s beta and eta / beta^2; gains 2, 1/4, 2 keep kappa (product 1);
        // half the base step with every eta_l doubled keeps eta mu_l.
        ScalingRule moved = new RescaledRule(base, new double[] {3, 0.5, 2, 0.25}, new double[] {2, 0.25, 2, 1},
                new double[] {18, 0.5, 8, 0.125}, 1);
        Parametrization a = Parametrization.of(Fixtures.network(Fixtures.spec(64, depth, 2, Activations.RELU, base)));
        Parametrization b = Parametrization.of(Fixtures.network(Fixtures.spec(64, depth, 2, Activations.RELU, moved)));
        assertThat(b.kappa().value()).isCloseTo(a.kappa().value(), org.assertj.core.api.Assertions.within(1e-9));
        List<Double> reference = losses(base, 64, depth, 0.5, 200);
        List<Double> rescaled = losses(moved, 64, depth, 0.25, 200);
        assertThat(reference.get(199)).isLessThan(0.5 * reference.get(0));
        assertThat(maxGap(reference, rescaled)).isLessThan(Tolerances.INVARIANCE);
    }

    @Test
    void lxmzInitExponentIsAbsorbedByTheBaseStep() {
        int width = 1000;
        double b = 0.25;
        List<Double> reference = losses(new LxmzRule(0.5, 0, 0), width, 1, 1.0, 300);
        List<Double> shifted = losses(new LxmzRule(0.5, 0, b), width, 1, 1.0 / Math.pow(width, 2 * b), 300);
        assertThat(maxGap(reference, shifted)).isLessThan(Tolerances.INVARIANCE);
    }

    @Test
    void differentKappaGivesADifferentTrajectory() {
        List<Double> reference = losses(new LxmzRule(0.5, 0, 0), 200, 1, 1.0, 50);
        List<Double> other = losses(new LxmzRule(0.75, 0, 0), 200, 1, 1.0, 50);
        assertThat(maxGap(reference, other)).isGreaterThan(1e-3);
    }
}
