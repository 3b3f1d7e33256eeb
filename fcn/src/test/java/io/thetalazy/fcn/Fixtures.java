package io.thetalazy.fcn;

import io.thetalazy.core.init.Initializers;
import io.thetalazy.core.layer.Activation;
import io.thetalazy.core.layer.Network;
import io.thetalazy.core.layer.NetworkSpec;
import io.thetalazy.core.layer.Shape;
import io.thetalazy.core.param.ScalingRule;
import java.util.Map;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Small fully connected networks and data for the fcn tests. */
final class Fixtures {
    private Fixtures() {}

    static NetworkSpec spec(int width, int depth, int inputDimension, Activation activation, ScalingRule rule) {
        return new NetworkSpec("fcn", width, depth, Shape.of(inputDimension), activation, false, Initializers.GAUSSIAN,
                false, rule, Map.of());
    }

    static Network network(NetworkSpec spec) {
        return new FcnArchitecture().network(spec);
    }

    static INDArray gaussian(long seed, long... shape) {
        return Initializers.GAUSSIAN.sample(shape, new SplittableRandom(seed));
    }

    /** LXMZ's 1-d data set: x in {-1/2, -1/6, 1/6, 1/2} with a bias coordinate, y = x^2. */
    static INDArray[] lxmzData() {
        double[] xs = {-0.5, -1.0 / 6, 1.0 / 6, 0.5};
        INDArray x = org.nd4j.linalg.factory.Nd4j.create(4, 2);
        INDArray y = org.nd4j.linalg.factory.Nd4j.create(4, 1);
        for (int i = 0; i < 4; i++) {
            x.putScalar(i, 0, xs[i]);
            x.putScalar(i, 1, 1);
            y.putScalar(i, 0, xs[i] * xs[i]);
        }
        return new INDArray[] {x, y};
    }
}
