package io.thetalazy.core.layer;

import static io.thetalazy.core.error.ErrorCode.INVALID_CONFIG;
import static java.util.Objects.requireNonNull;

import io.thetalazy.core.error.FrameworkException;
import io.thetalazy.core.init.Initializer;
import io.thetalazy.core.param.ScalingRule;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What an architecture builds: width m, depth L (hidden layers), per-sample input shape, activation, biases, the
 * weights' initializer law, the antisymmetric option, the scaling rule, and the architecture's own options.
 */
public record NetworkSpec(String architecture, int width, int depth, Shape inputShape, Activation activation,
        boolean bias, Initializer initializer, boolean antisymmetric, ScalingRule rule, Map<String, Object> options) {
    public NetworkSpec {
        requireNonNull(architecture, "architecture is null");
        requireNonNull(inputShape, "inputShape is null");
        requireNonNull(activation, "activation is null");
        requireNonNull(initializer, "initializer is null");
        requireNonNull(rule, "rule is null");
        options = Collections.unmodifiableMap(new LinkedHashMap<>(options));
        if (width <= 0) {
            throw new FrameworkException(INVALID_CONFIG, "width must be positive, found " + width);
        }
        if (depth < 1) {
            throw new FrameworkException(INVALID_CONFIG,
                    "depth (the number of hidden layers) must be at least 1, found " + depth);
        }
        rule.checkDepth(depth);
    }

    public NetworkSpec withWidth(int newWidth) {
        return new NetworkSpec(architecture, newWidth, depth, inputShape, activation, bias, initializer, antisymmetric,
                rule, options);
    }

    public NetworkSpec withRule(ScalingRule newRule) {
        return new NetworkSpec(architecture, width, depth, inputShape, activation, bias, initializer, antisymmetric,
                newRule, options);
    }

    /** Kernel rules keep the gains when the activation is not homogeneous or biases are on (DESIGN 1.2, 1.7). */
    public boolean gainsInside() {
        return !activation.homogeneous() || bias;
    }
}
