package io.thetalazy.fcn;

import static org.assertj.core.api.Assertions.assertThat;

import io.thetalazy.core.init.Initializers;
import io.thetalazy.core.layer.Activation;
import io.thetalazy.core.layer.Activations;
import io.thetalazy.core.layer.Network;
import io.thetalazy.core.layer.NetworkSpec;
import io.thetalazy.core.layer.Params;
import io.thetalazy.core.layer.Shape;
import io.thetalazy.core.param.NtkRule;
import io.thetalazy.core.param.ScalingRule;
import io.thetalazy.core.param.StandardRule;
import io.thetalazy.core.param.ThetaLazyRule;
import io.thetalazy.core.testing.FiniteDifferences;
import io.thetalazy.core.testing.Tolerances;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.ndarray.INDArray;

final class FcnGradientTest {
    static Stream<Arguments> everyActivationAndDepth() {
        List<Activation> activations = List.of(Activations.RELU, Activations.leakyRelu(0.2), Activations.LINEAR,
                Activations.TANH, Activations.ERF, Activations.SIGMOID, Activations.GELU, Activations.SOFTPLUS);
        return activations.stream().flatMap(a -> Stream.of(1, 2, 3, 4).map(depth -> Arguments.of(a, depth)));
    }

    @ParameterizedTest(name = "{0} depth {1}")
    @MethodSource("everyActivationAndDepth")
    void gradientsMatchCentralDifferences(Activation activation, int depth) {
        ScalingRule rule = switch (depth) {
            case 1 -> new NtkRule();
            case 2 -> new StandardRule(StandardRule.Gain.HE);
            case 3 -> new ThetaLazyRule(0.25, 2, List.of(0.1, 0.0, 0.3, 0.2));
            default -> new NtkRule();
        };
        boolean bias = depth % 2 == 0;
        boolean antisymmetric = depth >= 3;
        NetworkSpec spec = new NetworkSpec("fcn", 8, depth, Shape.of(3), activation, bias, Initializers.GAUSSIAN,
                antisymmetric, rule, Map.of());
        Network network = Fixtures.network(spec);
        Params params = network.init(depth);
        if (antisymmetric) {
            for (String name : params.names()) {
                if (name.endsWith(Network.MIRROR)) {
                    params.get(name).addi(Fixtures.gaussian(99, params.get(name).shape()).muli(0.1));
                }
            }
        }
        if (bias) {
            for (String name : params.names()) {
                if (name.contains("-bias")) {
                    params.get(name).addi(Fixtures.gaussian(98, params.get(name).shape()).muli(0.3));
                }
            }
        }
        INDArray x = Fixtures.gaussian(7, 4, 3);
        INDArray y = Fixtures.gaussian(8, 4, 1);
        assertThat(FiniteDifferences.maxRelativeError(network, params, x, y)).isLessThan(Tolerances.GRADIENT_RELATIVE);
    }
}
