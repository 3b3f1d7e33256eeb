package io.thetalazy.experiments.sweep;

import io.thetalazy.core.layer.Network;
import io.thetalazy.core.layer.NetworkSpec;
import io.thetalazy.core.plugin.Architecture;
import io.thetalazy.core.plugin.Registry;
import io.thetalazy.core.train.StepSize;
import io.thetalazy.experiments.config.RunConfig;
import io.thetalazy.experiments.config.TrainingSettings;
import io.thetalazy.experiments.data.DataSources;
import io.thetalazy.experiments.data.Dataset;
import io.thetalazy.kernels.predict.StepSizes;
import java.nio.file.Path;

/** Turns a run config into its parts: the data set, the network spec and network, and the step-size policy. */
public record RunSetup(RunConfig config, Dataset data, NetworkSpec spec, Network network, StepSize stepSize) {

    /** Resolves every name in the config through the registry; relative data paths start at {@code base}. */
    public static RunSetup of(RunConfig config, Registry registry, Path base) {
        Architecture architecture = registry.architecture(config.architecture());
        architecture.checkOptions(config.options());   // before the data set is loaded
        Dataset data = DataSources.load(config.data(), base, config.seed());
        NetworkSpec spec = new NetworkSpec(config.architecture(), config.width(), config.depth(), data.sampleShape(),
                registry.activation(config.activation().name(), config.activation().parameters()), config.bias(),
                registry.initializer(config.initializer()), config.antisymmetric(),
                registry.rule(config.rule().name(), config.rule().parameters()), config.options());
        Network network = architecture.network(spec);
        return new RunSetup(config, data, spec, network, stepSize(config.training()));
    }

    static StepSize stepSize(TrainingSettings training) {
        return switch (training.learningRate().mode()) {
            case FIXED -> StepSize.fixed(training.learningRate().value());
            case AUTO -> StepSizes.auto(training.stepFraction());
            case ADAPTIVE -> StepSizes.adaptive(training.stepFraction(), training.adaptiveEvery());
        };
    }
}
