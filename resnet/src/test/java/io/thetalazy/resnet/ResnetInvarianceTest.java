package io.thetalazy.resnet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.thetalazy.core.layer.Activations;
import io.thetalazy.core.layer.Network;
import io.thetalazy.core.param.BlockInvariant;
import io.thetalazy.core.param.NtkRule;
import io.thetalazy.core.param.Parametrization;
import io.thetalazy.core.param.ScalingRule;
import io.thetalazy.core.testing.RescaledRule;
import io.thetalazy.core.train.MetricsRow;
import io.thetalazy.core.train.StepSize;
import io.thetalazy.core.train.Trainer;
import io.thetalazy.core.train.TrainingConfig;
import io.thetalazy.core.train.TrainingListener;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * docs/theory.md#invariance for residual networks (bias-free relu, two blocks): kappa, the block invariants tau sigma_v
 * sigma_w and the products eta mu_l fix the trajectory, however the raw numbers split them; moving gain between a
 * branch and the readout, which a chain would not notice, changes it.
 */
final class ResnetInvarianceTest {
    private static final int WIDTH = 64;
    private static final int STEPS = 200;
    private static final double TAU = 0.7;
    private static final ScalingRule BASE = new NtkRule();
    private static final double[] ONES = {1, 1, 1, 1, 1, 1};

    private static Network network(ScalingRule rule) {
        return Fixtures.network(Fixtures.dense(WIDTH, 2, Activations.RELU, rule, TAU, false));
    }

    private static List<Double> losses(ScalingRule rule, double learningRate) {
        Network network = network(rule);
        INDArray x = Fixtures.points(8, 5);
        INDArray y = x.getColumn(0).mul(x.getColumn(1)).reshape(8, 1);
        List<Double> losses = new ArrayList<>();
        TrainingConfig config = TrainingConfig.defaults().withMaxSteps(STEPS).withLossTolerance(0).withRecordEvery(1);
        new Trainer(config).train(network, network.init(42), x, y, StepSize.fixed(learningRate),
                new TrainingListener() {
                    @Override
                    public void onRecord(MetricsRow row) {
                        losses.add(row.loss());
                    }
                });
        assertThat(losses).hasSize(STEPS + 1);
        return losses;
    }

    private static double maxGap(List<Double> a, List<Double> b) {
        double gap = 0;
        for (int k = 0; k < a.size(); k++) {
            gap = Math.max(gap, Math.abs(a.get(k) - b.get(k)));
        }
        return gap / a.get(0);
    }

    private static List<Double> invariants(ScalingRule rule) {
        return Parametrization.of(network(rule)).blockInvariants().stream().map(b -> b.value().value()).toList();
    }

    @Test
    void sameKappaAndBlockInvariantsSplitDifferentlyGiveTheSameTrajectory() {
        // abc symmetry (beta x c, s / c, eta x 2 c^2 at half the base step); gain 2 moved from the readout into the
        // embedding, and within each branch between W and V
        ScalingRule moved = new RescaledRule(BASE, new double[] {3, 0.5, 2, 0.25, 1.5, 0.8},
                new double[] {2, 0.25, 4, 3, 1.0 / 3, 0.5}, new double[] {18, 0.5, 8, 0.125, 4.5, 1.28}, 1);
        Parametrization a = Parametrization.of(network(BASE));
        Parametrization b = Parametrization.of(network(moved));
        assertThat(b.kappa().value()).isCloseTo(a.kappa().value(), within(1e-12 * a.kappa().value()));
        List<Double> reference = invariants(BASE);
        List<Double> split = invariants(moved);
        for (int i = 0; i < reference.size(); i++) {
            assertThat(split.get(i)).isCloseTo(reference.get(i), within(1e-12));
        }
        List<Double> base = losses(BASE, 0.5);
        List<Double> rescaled = losses(moved, 0.25);
        assertThat(base.get(STEPS)).isLessThan(0.5 * base.get(0));
        double gap = maxGap(base, rescaled);
        System.out.printf("resnet invariance: max_k |R_A(k) - R_B(k)| / R(0) = %.3g over %d steps, R(%d)/R(0) = %.3g%n",
                gap, STEPS, STEPS, base.get(STEPS) / base.get(0));
        assertThat(gap).isLessThan(1e-12);
    }

    @Test
    void movingGainBetweenABranchAndTheReadoutChangesTheTrajectory() {
        ScalingRule control = new RescaledRule(BASE, ONES, new double[] {1, 2, 1, 1, 1, 0.5}, ONES, 1);
        assertThat(invariants(control).get(0)).isCloseTo(2 * invariants(BASE).get(0), within(1e-12));
        assertThat(Parametrization.of(network(control)).blockInvariants()).extracting(BlockInvariant::layers)
                .containsExactly(List.of(2, 3), List.of(4, 5));
        double gap = maxGap(losses(BASE, 0.5), losses(control, 0.5));
        System.out.printf("resnet control (gain moved from the readout into a branch): gap %.3g R(0)%n", gap);
        assertThat(gap).isGreaterThan(1e-3);
    }
}
