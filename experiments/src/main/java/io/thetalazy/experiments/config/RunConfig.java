package io.thetalazy.experiments.config;

import static io.thetalazy.core.error.ErrorCode.INVALID_CONFIG;
import static java.util.Objects.requireNonNull;

import com.google.common.collect.ImmutableMap;
import io.thetalazy.core.error.FrameworkException;
import io.thetalazy.core.error.Suggestions;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * A training run as written in its YAML file; every key has a default ({@link #defaults()}), and the resolved config
 * with every default written out is saved in the run folder.
 *
 * @param architecture a bound architecture name ({@code fcn}, ...)
 * @param width m
 * @param depth L, the number of hidden layers
 * @param activation name, or {name, parameters} ({@code {name: leaky-relu, slope: 0.2}})
 * @param bias hidden-layer biases (docs/theory.md#biases)
 * @param initializer the weights' unit-variance law
 * @param antisymmetric f = (f(theta) - f(theta'))/sqrt 2 with theta'(0) = theta(0)
 * @param rule scaling rule name and parameters
 * @param options the architecture's own options
 * @param data data set name and parameters
 * @param training step size and stopping
 * @param seed root seed of the run
 * @param dtype {@code float64} (the default and reference) or {@code float32}: the type training computes in (the
 *     initialization is drawn in float64 and cast; kernels and limits stay float64)
 */
public record RunConfig(String architecture, int width, int depth, Named activation, boolean bias, String initializer,
        boolean antisymmetric, Named rule, Map<String, Object> options, Named data, TrainingSettings training,
        long seed, String dtype) {
    /** The accepted dtype names and their ND4J types. */
    private static final Map<String, DataType> DATA_TYPES = ImmutableMap.of("float64", DataType.DOUBLE, "float32",
            DataType.FLOAT);

    public RunConfig {
        requireNonNull(architecture, "architecture is null");
        requireNonNull(activation, "activation is null");
        requireNonNull(initializer, "initializer is null");
        requireNonNull(rule, "rule is null");
        requireNonNull(data, "data is null");
        requireNonNull(training, "training is null");
        options = options == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(options));
        dtype = dtype == null ? "float64" : dtype;
        if (!DATA_TYPES.containsKey(dtype)) {
            throw new FrameworkException(INVALID_CONFIG, "dtype must be one of %s, found '%s'%s"
                    .formatted(DATA_TYPES.keySet(), dtype, Suggestions.didYouMean(dtype, DATA_TYPES.keySet())));
        }
    }

    /** The ND4J data type of {@link #dtype()}. */
    public DataType dataType() {
        return DATA_TYPES.get(dtype);
    }

    public static RunConfig defaults() {
        return new RunConfig("fcn", 256, 2, Named.of("relu"), false, "gaussian", false, Named.of("ntk"), Map.of(),
                Named.of("lxmz"), TrainingSettings.defaults(), 0, "float64");
    }

    public RunConfig withWidth(int newWidth) {
        return new RunConfig(architecture, newWidth, depth, activation, bias, initializer, antisymmetric, rule, options,
                data, training, seed, dtype);
    }

    public RunConfig withRule(Named newRule) {
        return new RunConfig(architecture, width, depth, activation, bias, initializer, antisymmetric, newRule, options,
                data, training, seed, dtype);
    }

    public RunConfig withSeed(long newSeed) {
        return new RunConfig(architecture, width, depth, activation, bias, initializer, antisymmetric, rule, options,
                data, training, newSeed, dtype);
    }

    public RunConfig withDtype(String newDtype) {
        return new RunConfig(architecture, width, depth, activation, bias, initializer, antisymmetric, rule, options,
                data, training, seed, newDtype);
    }

    public RunConfig withData(Named newData) {
        return new RunConfig(architecture, width, depth, activation, bias, initializer, antisymmetric, rule, options,
                newData, training, seed, dtype);
    }

    public RunConfig withTraining(TrainingSettings newTraining) {
        return new RunConfig(architecture, width, depth, activation, bias, initializer, antisymmetric, rule, options,
                data, newTraining, seed, dtype);
    }
}
