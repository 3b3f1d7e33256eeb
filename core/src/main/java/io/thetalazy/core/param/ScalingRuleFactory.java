package io.thetalazy.core.param;

import java.util.Set;

/** Creates a {@link ScalingRule} from the parameters given with its name in a config; bound by name in Guice. */
public interface ScalingRuleFactory {
    /** The parameter keys the rule takes (others are "did you mean" errors). */
    Set<String> parameterNames();

    /**
     * The rule with these parameters (checked against {@link #parameterNames()}).
     *
     * @throws io.thetalazy.core.error.FrameworkException {@code INVALID_CONFIG} for an unknown key or a bad value
     */
    ScalingRule create(NamedParameters parameters);

    /**
     * A factory that checks the given keys, then builds the rule with {@code create}: how a plugin binds a rule of its
     * own (docs/plugins.md).
     */
    static ScalingRuleFactory of(Set<String> parameterNames, java.util.function.Function<NamedParameters, ScalingRule> create) {
        return new ScalingRuleFactory() {
            @Override
            public Set<String> parameterNames() {
                return parameterNames;
            }

            @Override
            public ScalingRule create(NamedParameters parameters) {
                return create.apply(parameters.requireKeys(parameterNames));
            }
        };
    }
}
