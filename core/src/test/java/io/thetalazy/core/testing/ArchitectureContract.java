package io.thetalazy.core.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.thetalazy.core.init.Initializers;
import io.thetalazy.core.layer.Activations;
import io.thetalazy.core.layer.Network;
import io.thetalazy.core.layer.NetworkSpec;
import io.thetalazy.core.layer.Params;
import io.thetalazy.core.layer.Shape;
import io.thetalazy.core.layer.TrainableLayer;
import io.thetalazy.core.param.NtkRule;
import io.thetalazy.core.plugin.Architecture;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The conformance suite every architecture plugin implements once (Trino's BaseConnectorTest, DJL's integration
 * suite): shapes, layer numbering and names, determinism, exact gradients.
 */
public interface ArchitectureContract {
    Architecture architecture();

    /** A small per-sample input shape the architecture accepts. */
    Shape tinyInputShape();

    /** Architecture options for the tiny network. */
    default Map<String, Object> tinyOptions() {
        return Map.of();
    }

    /** The depth L of the tiny networks: a depth the architecture accepts (resnet: 2 blocks + 1). */
    default int tinyDepth() {
        return 2;
    }

    default NetworkSpec tinySpec(int depth, boolean bias, boolean antisymmetric) {
        return new NetworkSpec(architecture().name(), 4, depth, tinyInputShape(), Activations.TANH, bias,
                Initializers.GAUSSIAN, antisymmetric, new NtkRule(), tinyOptions());
    }

    default INDArray tinyInput(int n, long seed) {
        long[] shape = tinyInputShape().batch(n);
        return Initializers.GAUSSIAN.sample(shape, new SplittableRandom(seed));
    }

    @Test
    default void outputIsOneScalarPerSample() {
        Network network = architecture().network(tinySpec(tinyDepth(), false, false));
        INDArray out = network.apply(network.init(1), tinyInput(3, 2));
        assertThat(out.shape()).containsExactly(3, 1);
    }

    @Test
    default void trainableLayersAreNumberedFromTheInputAndNamedByKind() {
        int depth = tinyDepth();
        Network network = architecture().network(tinySpec(depth, false, false));
        List<TrainableLayer> layers = network.trainables();
        assertThat(layers).hasSize(depth + 1);
        for (int l = 1; l <= depth + 1; l++) {
            assertThat(layers.get(l - 1).index()).isEqualTo(l);
            assertThat(layers.get(l - 1).name()).endsWith("-" + l);
        }
        assertThat(layers.get(depth).name()).isEqualTo("readout-" + (depth + 1));
    }

    @Test
    default void sameSeedGivesBitIdenticalOutputs() {
        Network network = architecture().network(tinySpec(tinyDepth(), true, false));
        INDArray x = tinyInput(5, 3);
        INDArray a = network.apply(network.init(7), x);
        INDArray b = network.apply(network.init(7), x);
        INDArray c = network.apply(network.init(8), x);
        assertThat(a.toDoubleVector()).containsExactly(b.toDoubleVector());
        assertThat(a.toDoubleVector()).isNotEqualTo(c.toDoubleVector());
    }

    @Test
    default void antisymmetricInitialOutputIsExactlyZero() {
        Network network = architecture().network(tinySpec(tinyDepth(), false, true));
        INDArray out = network.apply(network.init(5), tinyInput(4, 6));
        assertThat(out.toDoubleVector()).containsOnly(0.0);
    }

    @Test
    default void gradientsMatchFiniteDifferences() {
        for (boolean bias : new boolean[] {false, true}) {
            Network network = architecture().network(tinySpec(tinyDepth(), bias, bias));
            Params params = network.init(11);
            if (bias) {
                // move the mirror copy away from theta so both copies' gradients are non-trivial
                for (String name : params.names()) {
                    if (name.endsWith(Network.MIRROR)) {
                        params.get(name).muli(0.9);
                    }
                }
            }
            INDArray x = tinyInput(3, 12);
            INDArray y = Nd4j.linspace(-1, 1, 3).reshape(3, 1);
            assertThat(FiniteDifferences.maxRelativeError(network, params, x, y))
                    .as("bias=%s", bias)
                    .isLessThan(Tolerances.GRADIENT_RELATIVE);
        }
    }
}
