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
 *
 * @param architecture the name of the architecture that builds it ({@code fcn}, {@code cnn}, ...)
 * @param width m; positive
 * @param depth L, the number of hidden layers; at least 1 (and what the rule allows)
 * @param inputShape the shape of one sample
 * @param activation phi
 * @param bias whether hidden layers have biases
 * @param initializer the unit-variance law of the weights
 * @param antisymmetric f = (f(theta) - f(theta')) / sqrt 2 with theta'(0) = theta(0)
 * @param rule the scaling rule
 * @param options the architecture's own options (copied)
 */
public record NetworkSpec(String architecture, int width, int depth, Shape inputShape, Activation activation,
        boolean bias, Initializer initializer, boolean antisymmetric, ScalingRule rule, Map<String, Object> options) {
    /**
     * Checks the width, the depth and the rule's depth.
     *
     * @throws io.thetalazy.core.error.FrameworkException {@code INVALID_CONFIG} for a bad width or depth
     */
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

    /** The same network at another width (width sweeps). */
    public NetworkSpec withWidth(int newWidth) {
        return new NetworkSpec(architecture, newWidth, depth, inputShape, activation, bias, initializer, antisymmetric,
                rule, options);
    }

    /** The same network under another scaling rule. */
    public NetworkSpec withRule(ScalingRule newRule) {
        return new NetworkSpec(architecture, width, depth, inputShape, activation, bias, initializer, antisymmetric,
                newRule, options);
    }

    /**
     * A builder with the defaults of a run config: relu, no biases, Gaussian weights, not antisymmetric, the {@code
     * ntk} rule, no options; width, depth and the input shape must be set.
     */
    public static Builder builder(String architecture) {
        return new Builder(architecture);
    }

    /** Named settings for {@link NetworkSpec}'s components; {@link #build()} validates them as the constructor does. */
    public static final class Builder {
        private final String architecture;
        private int width;
        private int depth;
        private Shape inputShape;
        private Activation activation = Activations.RELU;
        private boolean bias;
        private Initializer initializer = io.thetalazy.core.init.Initializers.GAUSSIAN;
        private boolean antisymmetric;
        private ScalingRule rule = new io.thetalazy.core.param.NtkRule();
        private final Map<String, Object> options = new LinkedHashMap<>();

        private Builder(String architecture) {
            this.architecture = requireNonNull(architecture, "architecture is null");
        }

        /** m. */
        public Builder width(int width) {
            this.width = width;
            return this;
        }

        /** L, the number of hidden layers. */
        public Builder depth(int depth) {
            this.depth = depth;
            return this;
        }

        /** The shape of one sample, for example {@code Shape.of(5)} or {@code Shape.of(1, 28, 28)}. */
        public Builder inputShape(Shape inputShape) {
            this.inputShape = inputShape;
            return this;
        }

        /** phi (default {@code relu}). */
        public Builder activation(Activation activation) {
            this.activation = activation;
            return this;
        }

        /** Hidden-layer biases. */
        public Builder bias(boolean bias) {
            this.bias = bias;
            return this;
        }

        /** The unit-variance law of the weights. */
        public Builder initializer(Initializer initializer) {
            this.initializer = initializer;
            return this;
        }

        /** f = (f(theta) - f(theta')) / sqrt 2 with theta'(0) = theta(0): zero output at initialization. */
        public Builder antisymmetric(boolean antisymmetric) {
            this.antisymmetric = antisymmetric;
            return this;
        }

        /** The scaling rule (default {@code ntk}). */
        public Builder rule(ScalingRule rule) {
            this.rule = rule;
            return this;
        }

        /** One of the architecture's own options (its {@code options:} in a run config). */
        public Builder option(String name, Object value) {
            options.put(requireNonNull(name, "name is null"), requireNonNull(value, "value is null"));
            return this;
        }

        /**
         * The spec, validated as the constructor validates it.
         *
         * @throws io.thetalazy.core.error.FrameworkException {@code INVALID_CONFIG} when the input shape is not set or
         *     a component is invalid
         */
        public NetworkSpec build() {
            if (inputShape == null) {
                throw new FrameworkException(INVALID_CONFIG, "the input shape is not set: call inputShape(Shape.of(d))");
            }
            return new NetworkSpec(architecture, width, depth, inputShape, activation, bias, initializer, antisymmetric,
                    rule, options);
        }
    }

    /**
     * Kernel rules keep the gains when the activation is not homogeneous or biases are on
     * (docs/theory.md#kappa-and-its-conventions).
     */
    public boolean gainsInside() {
        return !activation.homogeneous() || bias;
    }
}
