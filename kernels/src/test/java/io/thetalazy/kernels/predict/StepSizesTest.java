package io.thetalazy.kernels.predict;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.thetalazy.core.error.FrameworkException;
import io.thetalazy.core.layer.Activations;
import io.thetalazy.core.layer.Network;
import io.thetalazy.core.layer.Params;
import io.thetalazy.core.param.MeanFieldRule;
import io.thetalazy.core.param.NtkRule;
import io.thetalazy.core.testing.TestNetworks;
import io.thetalazy.core.train.MetricsRow;
import io.thetalazy.core.train.StepSize;
import io.thetalazy.core.train.Trainer;
import io.thetalazy.core.train.TrainingConfig;
import io.thetalazy.core.train.TrainingListener;
import io.thetalazy.core.train.TrainingResult;
import io.thetalazy.core.train.TrainingState;
import io.thetalazy.kernels.empirical.EmpiricalKernels;
import io.thetalazy.kernels.testing.Matrices;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

final class StepSizesTest {
    static {
        TestNetworks.useDoublePrecision();
    }

    private static final INDArray X = TestNetworks.sphere(8, 3, 1);
    private static final INDArray Y = Nd4j.create(new double[] {0.5, -0.3, 0.8, 0.1, -0.6, 0.4, -0.2, 0.7},
            new long[] {8, 1});

    private static TrainingState state(Network network, Params params, long step) {
        return new TrainingState(network, params, params.copy(), X, Y, step, network.apply(params, X).sub(Y));
    }

    private static double lambdaMax(Network network, Params params) {
        return Spectra.lambdaMax(EmpiricalKernels.of(network).trainingKernel(params, X));
    }

    @Test
    void autoStepPutsEtaLambdaMaxOverNAtTheFraction() {
        Network network = TestNetworks.fcn(32, 2, 3, Activations.TANH, new NtkRule());
        Params params = network.init(4);
        StepSize auto = StepSizes.auto(0.7);
        double eta = auto.initial(state(network, params, 0));

        assertThat(auto.mode()).isEqualTo("auto");
        assertThat(eta * lambdaMax(network, params) / 8).isCloseTo(0.7, within(1e-12));
        assertThat(auto.next(state(network, params, 5), eta)).isEqualTo(eta);
        assertThat(auto.halved().initial(state(network, params, 0))).isCloseTo(eta / 2, within(1e-12 * eta));
        assertThat(StepSizes.auto().initial(state(network, params, 0)) * lambdaMax(network, params) / 8)
                .isCloseTo(1, within(1e-12));
    }

    @Test
    void adaptiveRecomputesFromTheCurrentKernelEveryIntervalSteps() {
        Network network = TestNetworks.fcn(16, 1, 3, Activations.TANH, new MeanFieldRule());
        Params params = network.init(5);
        StepSize adaptive = StepSizes.adaptive(0.5, 5);
        double initial = adaptive.initial(state(network, params, 0));
        assertThat(adaptive.mode()).isEqualTo("adaptive");
        assertThat(initial * lambdaMax(network, params) / 8).isCloseTo(0.5, within(1e-12));
        assertThat(adaptive.next(state(network, params, 0), initial)).isEqualTo(initial);

        Matrices.perturb(params, 0.5, 3);
        double moved = 0.5 * 8 / lambdaMax(network, params);
        assertThat(moved).isNotCloseTo(initial, within(1e-3 * initial));
        assertThat(adaptive.next(state(network, params, 3), initial)).as("between recomputations").isEqualTo(initial);
        assertThat(adaptive.next(state(network, params, 10), initial)).isCloseTo(moved, within(1e-12 * moved));
        assertThat(((StepSizes.Adaptive) adaptive.halved()).fraction()).isEqualTo(0.25);
    }

    @Test
    void adaptiveRecomputesEveryStepForSmallSamples() {
        StepSizes.Adaptive adaptive = (StepSizes.Adaptive) StepSizes.adaptive(0.5);
        assertThat(adaptive.interval(8)).isEqualTo(1);
        assertThat(adaptive.interval(StepSizes.SMALL_SAMPLE + 1)).isEqualTo(StepSizes.DEFAULT_INTERVAL);
        assertThat(((StepSizes.Adaptive) StepSizes.adaptive(0.5, 3)).interval(8)).isEqualTo(3);
    }

    @Test
    void adaptiveStepFollowsAMovingKernelDuringTraining() {
        Network network = TestNetworks.fcn(16, 1, 3, Activations.TANH, new MeanFieldRule());
        List<MetricsRow> rows = new ArrayList<>();
        TrainingResult result = new Trainer(TrainingConfig.defaults().withMaxSteps(100).withRecordEvery(20))
                .train(network, network.init(5), X, Y, StepSizes.adaptive(0.5), new TrainingListener() {
                    @Override
                    public void onRecord(MetricsRow row) {
                        rows.add(row);
                    }
                });
        double first = rows.get(0).learningRate();
        double last = rows.get(rows.size() - 1).learningRate();
        assertThat(result.finalLoss()).isLessThan(0.5 * result.initialLoss());
        assertThat(Math.abs(last - first) / first).as("the step moved with the kernel").isGreaterThan(0.01);
    }

    @Test
    void rejectsNonPositiveFraction() {
        assertThatThrownBy(() -> StepSizes.auto(0))
                .isInstanceOf(FrameworkException.class)
                .hasMessage("the step fraction c must be positive and finite, found 0.0");
        assertThatThrownBy(() -> StepSizes.adaptive(0.5, 0))
                .isInstanceOf(FrameworkException.class)
                .hasMessage("the adaptive step's interval must be at least 1, found 0");
    }

    @Test
    void boundRejectsKernelWithoutPositiveEigenvalue() {
        assertThatThrownBy(() -> StepSizes.bound(Nd4j.zeros(3, 3)))
                .isInstanceOf(FrameworkException.class)
                .hasMessage("the training kernel has no positive eigenvalue (lambda_max = 0.0): the step cannot be set "
                        + "from it; use a fixed learning rate");
    }
}
