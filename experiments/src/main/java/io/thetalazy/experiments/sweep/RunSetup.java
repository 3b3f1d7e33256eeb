package io.thetalazy.experiments.sweep;

import static io.thetalazy.core.error.ErrorCode.INSUFFICIENT_MEMORY;

import io.thetalazy.core.error.FrameworkException;
import io.thetalazy.core.kernel.KernelMemory;
import io.thetalazy.core.layer.Network;
import io.thetalazy.core.layer.NetworkSpec;
import io.thetalazy.core.layer.Params;
import io.thetalazy.core.layer.TrainableLayer;
import io.thetalazy.core.plugin.Architecture;
import io.thetalazy.core.plugin.Registry;
import io.thetalazy.core.train.StepSize;
import io.thetalazy.experiments.config.RunConfig;
import io.thetalazy.experiments.config.TrainingSettings;
import io.thetalazy.experiments.data.DataSources;
import io.thetalazy.experiments.data.Dataset;
import io.thetalazy.kernels.empirical.MemoryBudget;
import io.thetalazy.kernels.predict.StepSizes;
import java.nio.file.Path;

/** Turns a run config into its parts: the data set, the network spec and network, and the step-size policy. */
public record RunSetup(RunConfig config, Dataset data, NetworkSpec spec, Network network, StepSize stepSize) {

    /** Resolves every name in the config through the registry; relative data paths start at {@code base}. */
    public static RunSetup of(RunConfig config, Registry registry, Path base) {
        Architecture architecture = registry.architecture(config.architecture());
        architecture.checkOptions(config.options());   // before the data set is loaded
        Dataset data = DataSources.load(config.data(), base, config.seed());
        DataSources.checkScale(data.x(), "data %s: the inputs x".formatted(config.data().name()));
        DataSources.checkScale(data.y(), "data %s: the targets y".formatted(config.data().name()));
        return of(config, registry, architecture, data);
    }

    /**
     * The setup of a run of {@code config} whose folder holds the data it trained on (data/x.npy, data/y.npy), so an
     * analysis never depends on where the data came from.
     */
    public static RunSetup ofRunFolder(RunConfig config, Path runFolder, Registry registry) {
        Dataset data = new Dataset(io.thetalazy.kernels.io.Npy.read(runFolder.resolve("data/x.npy")),
                io.thetalazy.kernels.io.Npy.read(runFolder.resolve("data/y.npy")), "the data of " + runFolder);
        return of(config, registry, registry.architecture(config.architecture()), data);
    }

    private static RunSetup of(RunConfig config, Registry registry, Architecture architecture, Dataset data) {
        NetworkSpec spec = new NetworkSpec(config.architecture(), config.width(), config.depth(), data.sampleShape(),
                registry.activation(config.activation().name(), config.activation().parameters()), config.bias(),
                registry.initializer(config.initializer()), config.antisymmetric(),
                registry.rule(config.rule().name(), config.rule().parameters()), config.options());
        Network network = architecture.network(spec);
        return new RunSetup(config, data, spec, network, stepSize(config.training()));
    }

    /** The initial parameters of the config's seed, in its dtype (float32 runs: drawn in float64, then cast). */
    public Params initialParams() {
        Params initial = network.init(config.seed());
        if (initial.get(initial.names().get(0)).dataType() != config.dataType()) {
            initial = initial.castTo(config.dataType());
        }
        return initial;
    }

    /**
     * Refuses, before anything is allocated, a network whose parameters do not fit: a layer over 2^31 - 1 weights
     * (one array's limit), the initialization draw of the largest layer on the Java heap, and off-heap the parameters
     * with, when {@code training}, their initial copy, gradients and about four activation arrays per layer for the
     * n training samples. The message gives the need, what is available and what to change.
     */
    public void requireMemory(boolean training) {
        long total = 0;
        long largest = 0;
        String largestName = "";
        long activations = 0;
        for (TrainableLayer layer : network.trainables()) {
            long size = layer.weightShape().size();
            if (size > largest) {
                largest = size;
                largestName = layer.name();
            }
            total = MemoryBudget.sum(total, size);
            if (layer.bias().isPresent()) {
                total = MemoryBudget.sum(total, layer.weightShape().dimension(0));
            }
            activations = MemoryBudget.sum(activations, layer.weightShape().dimension(0));
        }
        if (largest > Integer.MAX_VALUE) {
            throw new FrameworkException(INSUFFICIENT_MEMORY, ("layer %s would have %,d weights (width %d); one array "
                    + "holds at most %,d: lower the width").formatted(largestName, largest, config.width(),
                    Integer.MAX_VALUE));
        }
        if (spec.antisymmetric()) {
            total = MemoryBudget.sum(total, total);
        }
        long value = config.dataType() == org.nd4j.linalg.api.buffer.DataType.FLOAT ? 4 : 8;
        long offHeap = MemoryBudget.product(total, value, training ? 3 : 1);
        if (training) {
            offHeap = MemoryBudget.sum(offHeap, MemoryBudget.product(activations, data.x().size(0), value, 4));
        }
        KernelMemory memory = KernelMemory.ofProcess();
        String what = "width %d, depth %d (%,d parameters%s)".formatted(config.width(), config.depth(), total,
                training ? ", their copy and gradients, and the activations of %d samples".formatted(data.x().size(0))
                        : "");
        String advice = "lower the width or give the JVM more memory (THETALAZY_JAVA_OPTS=\"-Xmx16g "
                + "-Dorg.bytedeco.javacpp.maxbytes=32G -Dorg.bytedeco.javacpp.maxphysicalbytes=40G\")";
        if (offHeap > memory.offHeapBytes()) {
            throw new FrameworkException(INSUFFICIENT_MEMORY, "%s need about %s of native memory, but only %s is "
                    .formatted(what, KernelMemory.format(offHeap), KernelMemory.format(memory.offHeapBytes()))
                    + "available (%s); %s".formatted(memory.description(), advice));
        }
        long draw = MemoryBudget.product(largest, 8);   // drawn as float64 on the Java heap, then copied
        if (draw > memory.heapBytes()) {
            throw new FrameworkException(INSUFFICIENT_MEMORY, ("initializing layer %s (%,d weights) needs about %s of "
                    + "Java heap, but only %s is free; %s").formatted(largestName, largest, KernelMemory.format(draw),
                    KernelMemory.format(memory.heapBytes()), advice));
        }
    }

    static StepSize stepSize(TrainingSettings training) {
        return switch (training.learningRate().mode()) {
            case FIXED -> StepSize.fixed(training.learningRate().value());
            case AUTO -> StepSizes.auto(training.stepFraction());
            case ADAPTIVE -> StepSizes.adaptive(training.stepFraction(), training.adaptiveEvery());
        };
    }
}
