package io.thetalazy.resnet;

import io.thetalazy.core.init.Initializers;
import io.thetalazy.core.layer.Activation;
import io.thetalazy.core.layer.Network;
import io.thetalazy.core.layer.NetworkSpec;
import io.thetalazy.core.layer.Shape;
import io.thetalazy.core.param.ScalingRule;
import io.thetalazy.core.testing.TestNetworks;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Small residual networks and inputs for the resnet tests. */
final class Fixtures {
    private Fixtures() {}

    static final int DIMENSION = 3;
    static final Shape SIGNAL = Shape.of(2, 5);

    /** A dense-branch resnet of B blocks on inputs [3]. */
    static NetworkSpec dense(int width, int blocks, Activation activation, ScalingRule rule, Object tau, boolean bias) {
        return new NetworkSpec("resnet", width, ResnetOptions.depth(blocks), Shape.of(DIMENSION), activation, bias,
                Initializers.GAUSSIAN, false, rule, Map.of(ResnetOptions.TAU, tau));
    }

    /** A conv-branch resnet of B blocks on signals [2, 5] with 3-tap filters and the given readout. */
    static NetworkSpec conv(int width, int blocks, Activation activation, ScalingRule rule, Object tau, boolean bias,
            String readout) {
        Map<String, Object> options = new LinkedHashMap<>();
        options.put(ResnetOptions.BRANCH, "conv");
        options.put(ResnetOptions.TAU, tau);
        options.put(ResnetOptions.READOUT, readout);
        return new NetworkSpec("resnet", width, ResnetOptions.depth(blocks), SIGNAL, activation, bias,
                Initializers.GAUSSIAN, false, rule, options);
    }

    static Network network(NetworkSpec spec) {
        return new ResnetArchitecture().network(spec);
    }

    /** n inputs [n, 3] on the sphere |x|^2 = 3 with a bias coordinate (docs/theory.md#normalized-view). */
    static INDArray points(int n, long seed) {
        return TestNetworks.sphere(n, DIMENSION, seed);
    }

    /** n Gaussian signals [n, 2, 5]. */
    static INDArray signals(int n, long seed) {
        return Initializers.GAUSSIAN.sample(SIGNAL.batch(n), new SplittableRandom(seed));
    }

    /** |a - b|_F / |b|_F. */
    static double relativeError(INDArray actual, INDArray expected) {
        return actual.sub(expected).norm2Number().doubleValue() / expected.norm2Number().doubleValue();
    }
}
