package io.thetalazy.core.plugin;

import com.google.common.collect.ImmutableSortedMap;
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

    @Inject
    public Registry(Map<String, Architecture> architectures, Map<String, ScalingRuleFactory> rules,
            Map<String, Initializer> initializers, Map<String, ActivationFactory> activations) {
        this.architectures = ImmutableSortedMap.copyOf(architectures);
        this.rules = ImmutableSortedMap.copyOf(rules);
        this.initializers = ImmutableSortedMap.copyOf(initializers);
        this.activations = ImmutableSortedMap.copyOf(activations);
    }

    public SortedMap<String, Architecture> architectures() {
        return architectures;
    }

    public SortedMap<String, ScalingRuleFactory> rules() {
        return rules;
    }

    public SortedMap<String, Initializer> initializers() {
        return initializers;
    }

    public SortedMap<String, ActivationFactory> activations() {
        return activations;
    }

    public Architecture architecture(String name) {
        Architecture architecture = architectures.get(name);
        if (architecture == null) {
            throw Suggestions.unknown("architecture", name, architectures.keySet());
        }
        return architecture;
    }

    public ScalingRule rule(String name, Map<String, Object> parameters) {
        ScalingRuleFactory factory = rules.get(name);
        if (factory == null) {
            throw Suggestions.unknown("scaling rule", name, rules.keySet());
        }
        return factory.create(new NamedParameters("rule " + name, parameters));
    }

    public Initializer initializer(String name) {
        Initializer law = initializers.get(name);
        if (law == null) {
            throw Suggestions.unknown("initializer", name, initializers.keySet());
        }
        return law;
    }

    public Activation activation(String name, Map<String, Object> parameters) {
        ActivationFactory factory = activations.get(name);
        if (factory == null) {
            throw Suggestions.unknown("activation", name, activations.keySet());
        }
        return factory.create(new NamedParameters("activation " + name, parameters));
    }
}
