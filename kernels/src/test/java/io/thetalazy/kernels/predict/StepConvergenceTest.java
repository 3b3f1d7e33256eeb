package io.thetalazy.kernels.predict;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.thetalazy.core.layer.Activations;
import io.thetalazy.core.layer.Network;
import io.thetalazy.core.param.MeanFieldRule;
import io.thetalazy.core.testing.TestNetworks;
import io.thetalazy.core.train.Status;
import io.thetalazy.core.train.TrainingConfig;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

final class StepConvergenceTest {
    static {
        TestNetworks.useDoublePrecision();
    }

    @Test
    void halvingASmallStepFractionChangesLittle() {
        Network network = TestNetworks.fcn(16, 1, 3, Activations.TANH, new MeanFieldRule());
        INDArray x = TestNetworks.sphere(5, 3, 2);
        INDArray y = Nd4j.create(new double[] {0.3, -0.2, 0.5, 0.1, -0.4}, new long[] {5, 1});
        // a step budget: the c/2 run gets twice the steps, so both end at the same time t = 200 eta
        TrainingConfig config = TrainingConfig.defaults().withMaxSteps(200).withLossTolerance(0).withRecordEvery(2);

        StepConvergence small = StepConvergence.check(network, network.init(3), x, y, config, StepSizes.auto(0.2));
        StepConvergence large = StepConvergence.check(network, network.init(3), x, y, config, StepSizes.auto(1.6));

        assertThat(small.coarse().status()).isEqualTo(Status.STEP_BUDGET);
        assertThat(small.fine().steps()).isEqualTo(400);
        assertThat(small.fine().finalLoss()).isLessThan(0.5 * small.fine().initialLoss());
        assertThat(small.coarseRows().get(small.coarseRows().size() - 1).time())
                .isCloseTo(small.fineRows().get(small.fineRows().size() - 1).time(), within(1e-9));
        // measured: 6.9e-6, 6.4e-3 and 8.0e-3 at c = 0.2; 0.17, 0.92 and 4.9 at c = 1.6
        assertThat(small.finalRdChange()).isLessThan(1e-3);
        assertThat(small.lossCurveDifference()).isLessThan(0.01);
        assertThat(small.lossCurveRelativeDifference()).isLessThan(0.02);
        assertThat(large.lossCurveDifference()).as("c = 1.6 is far from converged in c")
                .isGreaterThan(10 * small.lossCurveDifference());
        assertThat(large.finalRdChange()).isGreaterThan(0.05);
    }
}
