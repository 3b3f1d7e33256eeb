package io.thetalazy.core.plugin;

import io.thetalazy.core.error.ErrorCode;
import io.thetalazy.core.error.FrameworkException;
import io.thetalazy.core.error.Suggestions;
import io.thetalazy.core.kernel.KernelState;
import io.thetalazy.core.layer.Layer;
import io.thetalazy.core.layer.Network;
import io.thetalazy.core.layer.NetworkSpec;
import java.util.Map;
import java.util.Set;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * An architecture plugin: builds the layer tree of a network from a spec. Bound by name in a
 * {@code MapBinder<String, Architecture>} by the architecture module's Guice module.
 */
public interface Architecture {
    /** The name the architecture is selected by ({@code fcn}, {@code cnn}, ...). */
    String name();

    /** One-line description for {@code thetalazy architectures}. */
    String description();

    /** The options this architecture reads from {@link NetworkSpec#options()}; others are config errors. */
    default Set<String> optionNames() {
        return Set.of();
    }

    /** The layer tree: trainable layers numbered 1..L+1 input side first, scalar output. */
    Layer build(NetworkSpec spec);

    /** The input state of the kernel limit; dense inputs: Sigma^(0) = x x'^T / d. */
    default KernelState inputKernel(INDArray x1, INDArray x2) {
        return KernelState.ofInputs(x1, x2);
    }

    /**
     * A network of this architecture.
     *
     * @throws FrameworkException with {@code INVALID_CONFIG} when the spec names another architecture or an option
     *     this one does not take
     */
    default Network network(NetworkSpec spec) {
        if (!spec.architecture().equals(name())) {
            throw new FrameworkException(ErrorCode.INVALID_CONFIG, "the spec is for architecture '%s', not '%s'"
                    .formatted(spec.architecture(), name()));
        }
        checkOptions(spec.options());
        return new Network(spec, build(spec), this::inputKernel);
    }

    /** Every key is one of {@link #optionNames()}, or an INVALID_CONFIG error naming it and the closest valid one. */
    default void checkOptions(Map<String, ?> options) {
        for (String key : options.keySet()) {
            if (!optionNames().contains(key)) {
                throw new FrameworkException(ErrorCode.INVALID_CONFIG, "architecture '%s' takes no option '%s'%s; options: %s"
                        .formatted(name(), key, Suggestions.didYouMean(key, optionNames()),
                                optionNames().stream().sorted().toList()));
            }
        }
    }
}
