package io.thetalazy.benchmarks;

import io.thetalazy.core.init.Initializers;
import io.thetalazy.core.init.Seeds;
import io.thetalazy.core.layer.Activations;
import io.thetalazy.core.layer.Gradients;
import io.thetalazy.core.layer.Network;
import io.thetalazy.core.layer.NetworkSpec;
import io.thetalazy.core.layer.Params;
import io.thetalazy.core.layer.Shape;
import io.thetalazy.core.layer.Tape;
import io.thetalazy.core.param.NtkRule;
import io.thetalazy.core.train.Loss;
import io.thetalazy.core.train.Trainer;
import io.thetalazy.cnn.CnnArchitecture;
import io.thetalazy.fcn.FcnArchitecture;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The networks and data of the benchmarks: the shapes of {@code thetalazy bench} and of the peers of bench/compare.sh. */
final class Fixtures {
    private Fixtures() {}

    /** FCN, ReLU, NTK multipliers, Gaussian initialization, no bias (the peers' convention). */
    static Network fcn(int width, int depth, int inputDimension) {
        return new FcnArchitecture().network(new NetworkSpec("fcn", width, depth, Shape.of(inputDimension),
                Activations.RELU, false, Initializers.GAUSSIAN, false, new NtkRule(), Map.of()));
    }

    /** CNN on [1, 14, 14] (the bench's Fashion-MNIST shape): kernel 3, SAME, ReLU, NTK multipliers, no bias. */
    static Network cnn(int channels, int depth, String readout) {
        return new CnnArchitecture().network(new NetworkSpec("cnn", channels, depth, Shape.of(1, 14, 14),
                Activations.RELU, false, Initializers.GAUSSIAN, false, new NtkRule(),
                Map.of("kernelSize", 3, "readout", readout)));
    }

    /** n rows with |x|^2 = d (the kernel workloads' inputs). */
    static INDArray sphere(String label, int n, int d) {
        INDArray x = gaussian(label, n, d);
        return x.diviColumnVector(x.norm2(1).reshape(n, 1)).muli(Math.sqrt(d));
    }

    static INDArray gaussian(String label, long... shape) {
        return Initializers.GAUSSIAN.sample(shape, Seeds.generator(0, label));
    }

    /**
     * One GD step as the trainer takes it ({@link Trainer#step}); with reuse, the forward pass writes into the arrays
     * kept by the tape and the descent is the one kept from the previous step, else both are new.
     */
    static double step(Network network, Params params, INDArray x, INDArray y, double learningRate, Tape tape,
            Gradients descent, boolean reuse) {
        Network.Forward forward = reuse ? network.forward(params, x, tape) : network.forward(params, x);
        INDArray residual = forward.output().sub(y);
        Trainer.step(network, params, forward, Loss.gradient(residual), reuse ? descent
                : Trainer.descent(network, params), learningRate);
        return Loss.value(residual);
    }
}
