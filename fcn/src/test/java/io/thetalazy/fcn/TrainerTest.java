package io.thetalazy.fcn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.thetalazy.core.error.ErrorCode;
import io.thetalazy.core.error.FrameworkException;
import io.thetalazy.core.layer.Activations;
import io.thetalazy.core.layer.Network;
import io.thetalazy.core.layer.Params;
import io.thetalazy.core.param.LxmzRule;
import io.thetalazy.core.param.NtkRule;
import io.thetalazy.core.train.Status;
import io.thetalazy.core.train.StepSize;
import io.thetalazy.core.train.Trainer;
import io.thetalazy.core.train.TrainingConfig;
import io.thetalazy.core.train.TrainingListener;
import io.thetalazy.core.train.TrainingResult;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

final class TrainerTest {
    private final INDArray[] data = Fixtures.lxmzData();

    private Network network(int width) {
        return Fixtures.network(Fixtures.spec(width, 1, 2, Activations.RELU, new LxmzRule(0.5, 0, 0)));
    }

    @Test
    void convergesBelowTheToleranceAndReportsRelativeDistances() {
        Network network = network(500);
        Params params = network.init(1);
        Params initial = params.copy();
        TrainingResult result = new Trainer(TrainingConfig.defaults().withLossTolerance(1e-5))
                .train(network, params, data[0], data[1], StepSize.fixed(1), TrainingListener.NONE);
        assertThat(result.status()).isEqualTo(Status.CONVERGED);
        assertThat(result.finalLoss()).isLessThan(1e-5);
        double moved = params.get("dense-1").distance2(initial.get("dense-1"));
        assertThat(result.finalLayerRd().get(0))
                .isCloseTo(moved / initial.get("dense-1").norm2Number().doubleValue(), within(1e-12));
        assertThat(result.finalRd()).isGreaterThan(0).isLessThan(0.1);
    }

    @Test
    void divergenceEndsWithAStatusOrRestartsWithTheStepHalved() {
        // tanh: a huge step cannot kill every unit, as it can with relu, so halving does reach a stable step
        Network network = Fixtures.network(Fixtures.spec(200, 1, 2, Activations.TANH, new LxmzRule(0.5, 0, 0)));
        TrainingConfig config = TrainingConfig.defaults().withMaxSteps(5000).withLossTolerance(1e-3);
        TrainingResult diverged = new Trainer(config).train(network, network.init(2), data[0], data[1],
                StepSize.fixed(2000), TrainingListener.NONE);
        assertThat(diverged.status()).isIn(Status.DIVERGED, Status.NON_FINITE);
        assertThat(diverged.message()).contains("learning rate");
        AtomicInteger restarts = new AtomicInteger();
        TrainingResult recovered = new Trainer(config.withMaxRestarts(20)).train(network, network.init(2), data[0],
                data[1], StepSize.fixed(2000), new TrainingListener() {
                    @Override
                    public void onRestart(int restart, String reason) {
                        restarts.incrementAndGet();
                    }
                });
        assertThat(recovered.status()).isEqualTo(Status.CONVERGED);
        assertThat(recovered.restarts()).isEqualTo(restarts.get()).isPositive();
        assertThat(recovered.initialLearningRate()).isEqualTo(2000 / Math.pow(2, recovered.restarts()));
    }

    @Test
    void stopsOnTheStepBudget() {
        Network network = network(100);
        TrainingResult result = new Trainer(TrainingConfig.defaults().withMaxSteps(7)).train(network,
                network.init(3), data[0], data[1], StepSize.fixed(0.1), TrainingListener.NONE);
        assertThat(result.status()).isEqualTo(Status.STEP_BUDGET);
        assertThat(result.steps()).isEqualTo(7);
    }

    @Test
    void rejectsTargetsThatDoNotMatchOrAreNotFinite() {
        Network network = Fixtures.network(Fixtures.spec(10, 2, 2, Activations.TANH, new NtkRule()));
        Trainer trainer = new Trainer(TrainingConfig.defaults());
        assertThatThrownBy(() -> trainer.train(network, network.init(0), data[0], Nd4j.zeros(3, 1),
                StepSize.fixed(0.1), TrainingListener.NONE))
                .isInstanceOf(FrameworkException.class)
                .hasMessageContaining("targets must have shape [4] or [4, 1]");
        INDArray nan = data[1].dup();
        nan.putScalar(0, Double.NaN);
        assertThatThrownBy(() -> trainer.train(network, network.init(0), data[0], nan, StepSize.fixed(0.1),
                TrainingListener.NONE)).hasMessageContaining("targets contain NaN");
        INDArray badX = data[0].dup();
        badX.putScalar(1, 0, Double.POSITIVE_INFINITY);
        assertThatThrownBy(() -> network.apply(network.init(0), badX)).hasMessageContaining("inputs contain NaN or infinite");
        assertThatThrownBy(() -> network.apply(network.init(0), Nd4j.zeros(4, 3)))
                .hasMessageContaining("inputs must have shape [n, 2], found [4, 3]");
        assertThatThrownBy(() -> StepSize.fixed(-1)).hasMessageContaining("learning rate must be positive");
    }

    @Test
    void nonFiniteParametersAndOutputsAreNamedAsSuchNotAsALearningRateProblem() {
        Network network = network(50);
        Trainer trainer = new Trainer(TrainingConfig.defaults());
        Params nan = network.init(4);
        nan.get("readout-2").putScalar(0, 3, Double.NaN);
        assertThatThrownBy(() -> trainer.train(network, nan, data[0], data[1], StepSize.fixed(0.1),
                TrainingListener.NONE))
                .isInstanceOf(FrameworkException.class)
                .hasMessageContaining("initial parameters 'readout-2' contain NaN or infinite values")
                .hasMessageNotContaining("learning rate")
                .extracting(e -> ((FrameworkException) e).errorCode()).isEqualTo(ErrorCode.NON_FINITE_VALUE);
        Params huge = network.init(4);
        huge.get("dense-1").muli(1e200);
        huge.get("readout-2").muli(1e200);
        assertThatThrownBy(() -> trainer.train(network, huge, data[0], data[1], StepSize.fixed(0.1),
                TrainingListener.NONE))
                .hasMessageContaining("initial outputs are NaN or infinite")
                .hasMessageNotContaining("learning rate");
    }
}
