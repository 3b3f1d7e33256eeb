package io.thetalazy.experiments.config;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A training run as written in its YAML file; every key has a default ({@link #defaults()}), and the resolved config
 * with every default written out is saved in the run folder.
 *
 * @param architecture a bound architecture name ({@code fcn}, ...)
 * @param width m
 * @param depth L, the number of hidden layers
 * @param activation name, or {name, parameters} ({@code {name: leaky-relu, slope: 0.2}})
 * @param bias hidden-layer biases (DESIGN 1.7)
 * @param initializer the weights' unit-variance law
 * @param antisymmetric f = (f(theta) - f(theta'))/sqrt 2 with theta'(0) = theta(0)
 * @param rule scaling rule name and parameters
 * @param options the architecture's own options
 * @param data data set name and parameters
 * @param training step size and stopping
 * @param seed root seed of the run
 */
public record RunConfig(String architecture, int width, int depth, Named activation, boolean bias, String initializer,
        boolean antisymmetric, Named rule, Map<String, Object> options, Named data, TrainingSettings training,
        long seed) {
    public RunConfig {
        requireNonNull(architecture, "architecture is null");
        requireNonNull(activation, "activation is null");
        requireNonNull(initializer, "initializer is null");
        requireNonNull(rule, "rule is null");
        requireNonNull(data, "data is null");
        requireNonNull(training, "training is null");
        options = options == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(options));
    }

    public static RunConfig defaults() {
        return new RunConfig("fcn", 256, 2, Named.of("relu"), false, "gaussian", false, Named.of("ntk"), Map.of(),
                Named.of("lxmz"), TrainingSettings.defaults(), 0);
    }

    public RunConfig withWidth(int newWidth) {
        return new RunConfig(architecture, newWidth, depth, activation, bias, initializer, antisymmetric, rule, options,
                data, training, seed);
    }

    public RunConfig withRule(Named newRule) {
        return new RunConfig(architecture, width, depth, activation, bias, initializer, antisymmetric, newRule, options,
                data, training, seed);
    }

    public RunConfig withSeed(long newSeed) {
        return new RunConfig(architecture, width, depth, activation, bias, initializer, antisymmetric, rule, options,
                data, training, newSeed);
    }

    public RunConfig withData(Named newData) {
        return new RunConfig(architecture, width, depth, activation, bias, initializer, antisymmetric, rule, options,
                newData, training, seed);
    }

    public RunConfig withTraining(TrainingSettings newTraining) {
        return new RunConfig(architecture, width, depth, activation, bias, initializer, antisymmetric, rule, options,
                data, newTraining, seed);
    }
}
