package io.thetalazy.fcn;

import static org.assertj.core.api.Assertions.assertThat;

import io.thetalazy.core.init.Initializers;
import io.thetalazy.core.layer.Activation;
import io.thetalazy.core.layer.Activations;
import io.thetalazy.core.layer.Gradients;
import io.thetalazy.core.layer.Network;
import io.thetalazy.core.layer.NetworkSpec;
import io.thetalazy.core.layer.Params;
import io.thetalazy.core.layer.Shape;
import io.thetalazy.core.layer.Tape;
import io.thetalazy.core.param.NtkRule;
import io.thetalazy.core.train.Loss;
import io.thetalazy.core.train.StepSize;
import io.thetalazy.core.train.Trainer;
import io.thetalazy.core.train.TrainingConfig;
import io.thetalazy.core.train.TrainingListener;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Steps that reuse one tape and one set of gradient arrays give bit-identical parameters to steps that allocate every
 * array afresh; the trainer's steps (which also write the weight gradients straight into the weights) the same
 * parameters to rounding.
 */
final class BufferReuseTest {
    private static final int STEPS = 5;
    private static final double LEARNING_RATE = 0.05;

    static Stream<Arguments> networks() {
        return Stream.of(Arguments.of(Activations.RELU, 3, false, false), Arguments.of(Activations.TANH, 2, true, true),
                Arguments.of(Activations.RELU, 1, false, true), Arguments.of(Activations.ERF, 2, true, false));
    }

    private static Network network(Activation activation, int depth, boolean bias, boolean antisymmetric) {
        return Fixtures.network(new NetworkSpec("fcn", 16, depth, Shape.of(3), activation, bias,
                Initializers.GAUSSIAN, antisymmetric, new NtkRule(), Map.of()));
    }

    private static Params perturbed(Network network) {
        Params params = network.init(11);
        for (String name : params.names()) {
            if (name.endsWith(Network.MIRROR) || name.contains("-bias")) {
                params.get(name).addi(Fixtures.gaussian(name.length(), params.get(name).shape()).muli(0.1));
            }
        }
        return params;
    }

    /** The step of the trainer, on arrays allocated afresh every time. */
    private static void freshStep(Network network, Params params, INDArray x, INDArray y) {
        Network.Forward forward = network.forward(params, x);
        Gradients gradients = network.gradients(params, forward, Loss.gradient(forward.output().sub(y)));
        update(params, gradients);
    }

    private static void update(Params params, Gradients gradients) {
        for (Map.Entry<String, INDArray> entry : gradients.asMap().entrySet()) {
            INDArray gradient = entry.getValue();
            Nd4j.getBlasWrapper().level1().axpy(gradient.length(), -LEARNING_RATE, gradient, params.get(entry.getKey()));
        }
    }

    @ParameterizedTest(name = "{0} depth {1} bias {2} antisymmetric {3}")
    @MethodSource("networks")
    void reusedBuffersGiveBitIdenticalSteps(Activation activation, int depth, boolean bias, boolean antisymmetric) {
        Network network = network(activation, depth, bias, antisymmetric);
        INDArray x = Fixtures.gaussian(1, 6, 3);
        INDArray y = Fixtures.gaussian(2, 6, 1);
        Params fresh = perturbed(network);
        Params reused = perturbed(network);
        Tape tape = new Tape();
        Gradients gradients = new Gradients();
        INDArray firstOutput = null;
        for (int step = 0; step < STEPS; step++) {
            freshStep(network, fresh, x, y);
            Network.Forward forward = network.forward(reused, x, tape);
            if (firstOutput == null) {
                firstOutput = forward.output();
            }
            assertThat(forward.output()).as("the tape's output buffer is reused").isSameAs(firstOutput);
            network.gradients(reused, forward, Loss.gradient(forward.output().sub(y)), gradients);
            update(reused, gradients);
        }
        assertBitIdentical(fresh, reused);
    }

    @ParameterizedTest(name = "{0} depth {1} bias {2} antisymmetric {3}")
    @MethodSource("networks")
    void trainerMatchesFreshAllocationSteps(Activation activation, int depth, boolean bias, boolean antisymmetric) {
        Network network = network(activation, depth, bias, antisymmetric);
        INDArray x = Fixtures.gaussian(3, 6, 3);
        INDArray y = Fixtures.gaussian(4, 6, 1);
        Params fresh = perturbed(network);
        Params trained = perturbed(network);
        for (int step = 0; step < STEPS; step++) {
            freshStep(network, fresh, x, y);
        }
        new Trainer(TrainingConfig.defaults().withMaxSteps(STEPS).withLossTolerance(0).withRecordEvery(2))
                .train(network, trained, x, y, StepSize.fixed(LEARNING_RATE), TrainingListener.NONE);
        // W - (eta alpha) op(a) op(b) in the GEMM against W - eta (alpha op(a) op(b)): one rounding apart per step
        assertThat(trained.names()).isEqualTo(fresh.names());
        for (String name : fresh.names()) {
            double scale = fresh.get(name).amaxNumber().doubleValue();
            double difference = trained.get(name).sub(fresh.get(name)).amaxNumber().doubleValue();
            assertThat(difference).as(name).isLessThanOrEqualTo(1e-14 * scale * STEPS);
        }
    }

    private static void assertBitIdentical(Params expected, Params actual) {
        assertThat(actual.names()).isEqualTo(expected.names());
        for (String name : expected.names()) {
            assertThat(actual.get(name).data().asDouble()).as(name).isEqualTo(expected.get(name).data().asDouble());
        }
    }
}
