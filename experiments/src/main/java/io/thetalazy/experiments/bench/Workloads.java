package io.thetalazy.experiments.bench;

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
import io.thetalazy.core.plugin.Registry;
import io.thetalazy.core.train.Loss;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The benchmark workloads, with the shapes and conventions of the peers in shared/bench (float64, ReLU, NTK-style
 * 1/sqrt(fan-in) multipliers, squared loss, plain full-batch GD):
 * <ul>
 *   <li>{@code gd-step}: FCN d = 32, 3 hidden layers of width 2048, n = 256; one forward, backward and update;
 *   <li>{@code small-gd}: two-layer, d = 2 (x, 1), width 40000, n = 4; one GD step (timed over 100);
 *   <li>{@code dgemm}: 2048 x 2048 float64 matrix product, the machine's roofline.
 * </ul>
 */
public final class Workloads {
    private Workloads() {}

    /** Workload factories by name (setup runs when the factory is called). */
    public static SortedMap<String, Supplier<Workload>> all(Registry registry) {
        SortedMap<String, Supplier<Workload>> workloads = new TreeMap<>();
        workloads.put("gd-step", () -> gdStep(registry));
        workloads.put("small-gd", () -> smallGd(registry));
        workloads.put("dgemm", Workloads::dgemm);
        return workloads;
    }

    static Network fcn(Registry registry, int width, int depth, int inputDimension) {
        NetworkSpec spec = new NetworkSpec("fcn", width, depth, Shape.of(inputDimension), Activations.RELU, false,
                Initializers.GAUSSIAN, false, new NtkRule(), Map.of());
        return registry.architecture("fcn").network(spec);
    }

    static INDArray gaussian(String label, long... shape) {
        return Initializers.GAUSSIAN.sample(shape, Seeds.generator(0, label));
    }

    /**
     * A GD step as the trainer takes it: forward on a kept tape, dR/df, backward into kept gradient arrays, in-place
     * update of every parameter (one axpy each).
     */
    static Workload step(Network network, Params params, INDArray x, INDArray y, double learningRate) {
        Tape tape = new Tape();
        Gradients gradients = new Gradients();
        return () -> {
            Network.Forward forward = network.forward(params, x, tape);
            INDArray residual = forward.output().sub(y);
            network.gradients(params, forward, Loss.gradient(residual), gradients);
            for (Map.Entry<String, INDArray> entry : gradients.asMap().entrySet()) {
                INDArray gradient = entry.getValue();
                Nd4j.getBlasWrapper().level1().axpy(gradient.length(), -learningRate, gradient,
                        params.get(entry.getKey()));
            }
            return Loss.value(residual);
        };
    }

    static Workload gdStep(Registry registry) {
        Network network = fcn(registry, 2048, 3, 32);
        return step(network, network.init(0), gaussian("x", 256, 32), gaussian("y", 256, 1), 0.1);
    }

    static Workload smallGd(Registry registry) {
        Network network = fcn(registry, 40_000, 1, 2);
        INDArray x = org.nd4j.linalg.factory.Nd4j.createFromArray(new double[][] {{-0.5, 1}, {-1.0 / 6, 1},
            {1.0 / 6, 1}, {0.5, 1}});
        INDArray y = x.getColumn(0).mul(x.getColumn(0)).reshape(4, 1);
        Workload one = step(network, network.init(0), x, y, 0.01);
        return new Workload() {
            @Override
            public double run() {
                double loss = 0;
                for (int i = 0; i < 100; i++) {
                    loss = one.run();
                }
                return loss;
            }

            @Override
            public int inner() {
                return 100;
            }
        };
    }

    static Workload dgemm() {
        INDArray a = gaussian("a", 2048, 2048);
        INDArray out = a.ulike();
        return () -> {
            // the call the dense layers make (INDArray.mmuli(a, out) reaches only about half this rate here)
            Nd4j.gemm(a, a, out, false, false, 1.0, 0.0);
            return out.getDouble(0, 0);
        };
    }
}
