package io.thetalazy.core.plugin;

import com.google.common.collect.ImmutableSortedMap;
import io.thetalazy.core.error.FrameworkException;
import io.thetalazy.core.error.Suggestions;
import io.thetalazy.core.init.Initializer;
import io.thetalazy.core.layer.Activation;
import io.thetalazy.core.param.NamedParameters;
import io.thetalazy.core.param.ScalingRule;
import io.thetalazy.core.param.ScalingRuleFactory;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.SortedMap;

/**
 * Everything selectable by name, with "did you mean" errors: architectures, scaling rules, initializers, activations.
 * Maps are sorted, since MapBinder order across modules is unspecified.
 */
public final class Registry {
    private final SortedMap<String, Architecture> architectures;
    private final SortedMap<String, ScalingRuleFactory> rules;
    private final SortedMap<String, Initializer> initializers;
    private final SortedMap<String, ActivationFactory> activations;

    /** The name-keyed bindings of the core module and the architecture modules (built by Guice). */
    @Inject
    public Registry(Map<String, Architecture> architectures, Map<String, ScalingRuleFactory> rules,
            Map<String, Initializer> initializers, Map<String, ActivationFactory> activations) {
        this.architectures = ImmutableSortedMap.copyOf(architectures);
        this.rules = ImmutableSortedMap.copyOf(rules);
        this.initializers = ImmutableSortedMap.copyOf(initializers);
        this.activations = ImmutableSortedMap.copyOf(activations);
    }

    /** Every installed architecture by name ({@code fcn}, {@code cnn}, {@code resnet}, plugins' own). */
    public SortedMap<String, Architecture> architectures() {
        return architectures;
    }

    /** Every scaling rule's factory by name ({@code ntk}, {@code standard}, {@code theta-lazy}, ...). */
    public SortedMap<String, ScalingRuleFactory> rules() {
        return rules;
    }

    /** Every weight law by name ({@code gaussian}, {@code orthogonal}, ...). */
    public SortedMap<String, Initializer> initializers() {
        return initializers;
    }

    /** Every activation's factory by name ({@code relu}, {@code leaky-relu}, {@code erf}, ...). */
    public SortedMap<String, ActivationFactory> activations() {
        return activations;
    }

    /**
     * The architecture bound under {@code name}.
     *
     * @throws FrameworkException {@code UNKNOWN_NAME}, naming the closest installed one and all of them
     */
    public Architecture architecture(String name) {
        Architecture architecture = architectures.get(name);
        if (architecture == null) {
            throw Suggestions.unknown("architecture", name, architectures.keySet());
        }
        return architecture;
    }

    /**
     * The scaling rule {@code name} with its parameters (for example {@code gamma} of {@code theta-lazy}).
     *
     * @throws FrameworkException {@code UNKNOWN_NAME} for an unknown rule, {@code INVALID_CONFIG} for a bad or unknown
     *     parameter
     */
    public ScalingRule rule(String name, Map<String, Object> parameters) {
        ScalingRuleFactory factory = rules.get(name);
        if (factory == null) {
            throw Suggestions.unknown("scaling rule", name, rules.keySet());
        }
        return factory.create(new NamedParameters("rule " + name, parameters));
    }

    /**
     * The weight law bound under {@code name}.
     *
     * @throws FrameworkException {@code UNKNOWN_NAME}, naming the closest valid one
     */
    public Initializer initializer(String name) {
        Initializer law = initializers.get(name);
        if (law == null) {
            throw Suggestions.unknown("initializer", name, initializers.keySet());
        }
        return law;
    }

    /**
     * The activation {@code name} with its parameters (for example {@code slope} of {@code leaky-relu}).
     *
     * @throws FrameworkException {@code UNKNOWN_NAME} for an unknown activation, {@code INVALID_CONFIG} for a bad
     *     parameter
     */
    public Activation activation(String name, Map<String, Object> parameters) {
        ActivationFactory factory = activations.get(name);
        if (factory == null) {
            throw Suggestions.unknown("activation", name, activations.keySet());
        }
        return factory.create(new NamedParameters("activation " + name, parameters));
    }
}
