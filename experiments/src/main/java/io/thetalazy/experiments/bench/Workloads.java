package io.thetalazy.experiments.bench;

import io.thetalazy.core.init.Initializers;
import io.thetalazy.core.kernel.KernelState;
import io.thetalazy.core.init.Seeds;
import io.thetalazy.core.layer.Activations;
import io.thetalazy.core.layer.Gradients;
import io.thetalazy.core.layer.KernelLimit;
import io.thetalazy.core.layer.Network;
import io.thetalazy.core.layer.NetworkSpec;
import io.thetalazy.core.layer.Params;
import io.thetalazy.core.layer.Products;
import io.thetalazy.core.layer.Shape;
import io.thetalazy.core.layer.Tape;
import io.thetalazy.core.param.NtkRule;
import io.thetalazy.core.plugin.Registry;
import io.thetalazy.core.train.Loss;
import io.thetalazy.core.train.Trainer;
import io.thetalazy.core.train.TrainingListener;
import io.thetalazy.experiments.config.LearningRate;
import io.thetalazy.experiments.config.Named;
import io.thetalazy.experiments.config.RunConfig;
import io.thetalazy.experiments.config.TrainingSettings;
import io.thetalazy.experiments.sweep.RunSetup;
import io.thetalazy.experiments.sweep.Runs;
import java.nio.file.Path;
import io.thetalazy.kernels.empirical.EmpiricalKernels;
import io.thetalazy.kernels.empirical.TangentKernels;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The benchmark workloads, with the shapes and conventions of the NumPy and PyTorch peers of {@code bench/compare.sh}
 * (float64, ReLU, NTK-style 1/sqrt(fan-in) multipliers, squared loss, plain full-batch GD):
 * <ul>
 *   <li>{@code gd-step}: FCN d = 32, 3 hidden layers of width 2048, n = 256; one forward, backward and update;
 *   <li>{@code small-gd}: two-layer, d = 2 (x, 1), width 40000, n = 4; one GD step (timed over 100);
 *   <li>{@code phase-cell}: a phase-diagram cell as {@code train} runs it: LXMZ's data, two-layer width 16000, rule
 *       lxmz (gamma 1.75, gamma' 0), the adaptive step c = 0.1 recomputed every step; one step (timed over 200);
 *   <li>{@code dgemm}: 2048 x 2048 float64 matrix product, the machine's roofline;
 *   <li>{@code entk}: FCN d = 32, depth 3, width 1024, n = 128: all per-layer empirical NTKs (no Jacobian);
 *   <li>{@code limit-fcn}: FCN limit kernels, n = 4000, depth 5, relu;
 *   <li>{@code cnn-step}: CNN [64, 1, 14, 14], two 3x3 convolutions of 64 channels, same padding, global average
 *       pooling: one GD step (pytorch_peer's cnn-step);
 *   <li>{@code cnn-gemms}: the GEMMs of one cnn-step alone, at its shapes and through the same calls (its own
 *       roofline);
 *   <li>{@code entk-cnn}: CNN [1, 14, 14], depth 3, 64 channels, flatten, n = 64: all per-layer empirical NTKs;
 *   <li>{@code limit-cnn-flatten} (n = 256) and {@code limit-cnn-gap} (n = 64): CNTK of a depth-3 CNN on 14 x 14.
 * </ul>
 */
public final class Workloads {
    private Workloads() {}

    /** Workload factories by name (setup runs when the factory is called). */
    public static SortedMap<String, Supplier<Workload>> all(Registry registry) {
        SortedMap<String, Supplier<Workload>> workloads = new TreeMap<>();
        workloads.put("gd-step", () -> gdStep(registry));
        workloads.put("small-gd", () -> smallGd(registry));
        workloads.put("phase-cell", () -> phaseCell(registry));
        workloads.put("dgemm", Workloads::dgemm);
        workloads.put("entk", () -> entk(registry));
        workloads.put("limit-fcn", () -> limitFcn(registry));
        workloads.put("cnn-step", () -> cnnStep(registry));
        workloads.put("cnn-gemms", Workloads::cnnGemms);
        workloads.put("entk-cnn", () -> entkCnn(registry));
        workloads.put("limit-cnn-flatten", () -> limitCnn(registry, "flatten", 256));
        workloads.put("limit-cnn-gap", () -> limitCnn(registry, "global-average", 64));
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
     * A GD step as the trainer takes it ({@link Trainer#step}): forward on a kept tape, dR/df, and the backward pass
     * that moves every parameter in place (the NTK rule's eta_l are 1: plain GD, as the peers).
     */
    static Workload step(Network network, Params params, INDArray x, INDArray y, double learningRate) {
        Tape tape = new Tape();
        Gradients descent = Trainer.descent(network, params);
        return () -> {
            Network.Forward forward = network.forward(params, x, tape);
            INDArray residual = Loss.residual(forward.output(), y);
            Trainer.step(network, params, forward, Loss.gradient(residual), descent, learningRate);
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

    /**
     * numpy_peer's phase-cell through the path of {@code train}: the run config resolved by {@link RunSetup}, the
     * configured trainer and step policy; each execution trains 200 steps on from where the previous one stopped
     * (the adaptive step c n / lambda_max(Theta_train) recomputed at every step, metrics recorded every 10 steps).
     */
    static Workload phaseCell(Registry registry) {
        int steps = 200;
        Map<String, Object> rule = new LinkedHashMap<>();
        rule.put("gamma", 1.75);
        rule.put("gammaPrime", 0.0);
        TrainingSettings training = new TrainingSettings(LearningRate.ADAPTIVE, 0.1, 1, steps, 0, 0, 10, 1e6, 0, 0, 0, 0,
                true);
        RunConfig config = new RunConfig("fcn", 16_000, 1, Named.of("relu"), false, "gaussian", false,
                new Named("lxmz", rule), Map.of(), Named.of("lxmz"), training, 0, "float64");
        RunSetup setup = RunSetup.of(config, registry, Path.of("."));
        Trainer trainer = Runs.trainer(setup);
        Params params = setup.network().init(config.seed());
        return new Workload() {
            @Override
            public double run() {
                return trainer.train(setup.network(), params, setup.data().x(), setup.data().y(), setup.stepSize(),
                        TrainingListener.NONE).finalLoss();
            }

            @Override
            public int inner() {
                return steps;
            }
        };
    }

    static Workload dgemm() {
        INDArray a = gaussian("a", 2048, 2048);
        INDArray out = a.ulike();
        return () -> {
            // the call the dense layers make (INDArray.mmuli(a, out) reaches only about half this rate here)
            Products.gemm(a, a, out, false, false, 1.0, 0.0);
            return out.getDouble(0, 0);
        };
    }

    /** The peers' checksum of the empirical kernels: the trace of sum_l Theta_l. */
    static double trace(TangentKernels kernels) {
        double trace = 0;
        for (int l = 1; l <= kernels.layerCount(); l++) {
            trace += Nd4j.diag(kernels.theta(l)).sumNumber().doubleValue();
        }
        return trace;
    }

    /** FCN d = 32, depth 3, width 1024, n = 128: every per-layer empirical tangent kernel, by contraction. */
    static Workload entk(Registry registry) {
        Network network = fcn(registry, 1024, 3, 32);
        Params params = network.init(0);
        INDArray x = gaussian("x", 128, 32);
        EmpiricalKernels kernels = EmpiricalKernels.of(network);
        return () -> trace(kernels.compute(params, x));
    }

    /** FCN limit kernels: n = 4000 points (d = 32, |x|^2 = d), depth 5, relu: NNGP and K^[1..6]. */
    static Workload limitFcn(Registry registry) {
        Network network = fcn(registry, 1024, 5, 32);
        INDArray x = gaussian("x", 4000, 32);
        x.diviColumnVector(x.norm2(1).reshape(4000, 1)).muli(Math.sqrt(32));
        return () -> checksumAndRelease(network.limit(x, x));
    }

    /**
     * K^[1](x_0, x_1), then the limit's native memory is released at once, as the peers' arrays are when a repeat
     * drops them (ND4J frees native memory only when the garbage collector finds the arrays, which a run with a small
     * Java heap rarely does, so each repeat would otherwise start on fresh, slow-to-touch memory).
     */
    static double checksumAndRelease(KernelLimit state) {
        double checksum = state.layer(1).getDouble(0, 1);
        Set<INDArray> arrays = Collections.newSetFromMap(new IdentityHashMap<>());
        arrays.add(state.nngp());
        arrays.add(state.var1());
        arrays.add(state.var2());
        arrays.addAll(state.layers());
        for (INDArray array : arrays) {
            if (array.closeable()) {
                array.close();
            }
        }
        return checksum;
    }

    /** A CNN on [1, 14, 14] inputs: depth 3, kernel 3, SAME padding, relu, NTK rule. */
    static Network cnn(Registry registry, int channels, String readout) {
        return cnn(registry, channels, 3, readout);
    }

    /** A CNN on [1, 14, 14] inputs with {@code depth} hidden convolutions: kernel 3, SAME padding, relu, NTK rule. */
    static Network cnn(Registry registry, int channels, int depth, String readout) {
        NetworkSpec spec = new NetworkSpec("cnn", channels, depth, Shape.of(1, 14, 14), Activations.RELU, false,
                Initializers.GAUSSIAN, false, new NtkRule(), Map.of("kernelSize", 3, "readout", readout));
        return registry.architecture("cnn").network(spec);
    }

    /** Fashion-MNIST-shaped images (14 x 14, one channel); random so the workload needs no data package. */
    static INDArray images(int n) {
        INDArray x = gaussian("images", n, 1, 14, 14);
        return x;
    }

    /**
     * pytorch_peer's cnn-step: n = 64 images [1, 14, 14], two 3x3 convolutions of 64 channels (same padding, no bias,
     * relu after each, multipliers 1/sqrt(C_in 9)), global average pooling, readout 1/sqrt(64); one GD step, eta 0.1.
     */
    static Workload cnnStep(Registry registry) {
        Network network = cnn(registry, 64, 2, "global-average");
        return step(network, network.init(0), images(64), gaussian("y", 64, 1), 0.1);
    }

    /**
     * The products a cnn-step makes, alone: per convolution (1 and 64 input channels, 64 output channels, 3 x 3, 64
     * images of 14 x 14, so n P = 12544 columns) the forward W [64, C q] x columns [C q, n P], the column cotangents
     * W^T g, and the filter gradient g columns^T added into the weight (beta 1, as the descent does), into kept
     * buffers; the 2.8 GFLOP that bound the step from below on this BLAS.
     */
    static Workload cnnGemms() {
        int columns = 64 * 196;
        int[] inputChannels = {1, 64};
        INDArray[] weights = new INDArray[2];
        INDArray[] patches = new INDArray[2];
        INDArray[] patchCotangents = new INDArray[2];
        for (int l = 0; l < 2; l++) {
            int rows = inputChannels[l] * 9;
            weights[l] = gaussian("w" + l, 64, rows);
            patches[l] = gaussian("columns" + l, rows, columns);
            patchCotangents[l] = patches[l].ulike();
        }
        INDArray outputs = gaussian("outputs", 64, columns);
        INDArray cotangents = gaussian("cotangents", 64, columns);
        return () -> {
            for (int l = 0; l < 2; l++) {
                Products.gemm(weights[l], patches[l], outputs, false, false, 1.0, 0.0);
                Products.gemm(weights[l], cotangents, patchCotangents[l], true, false, 1.0, 0.0);
                Products.gemm(cotangents, patches[l], weights[l], false, true, -1e-9, 1.0);
            }
            return outputs.getDouble(0, 0) + patchCotangents[1].getDouble(0, 0);
        };
    }

    /** CNN [1, 14, 14], depth 3, 64 channels, flatten readout, n = 64: every per-layer empirical tangent kernel. */
    static Workload entkCnn(Registry registry) {
        Network network = cnn(registry, 64, "flatten");
        Params params = network.init(0);
        INDArray x = images(64);
        EmpiricalKernels kernels = EmpiricalKernels.of(network);
        return () -> trace(kernels.compute(params, x));
    }

    /** CNTK of a depth-3 CNN on [1, 14, 14]: flatten readout (spatial diagonal) or global average (full covariance). */
    static Workload limitCnn(Registry registry, String readout, int n) {
        Network network = cnn(registry, 64, readout);
        INDArray x = images(n);
        return () -> checksumAndRelease(network.limit(x, x));
    }
}
