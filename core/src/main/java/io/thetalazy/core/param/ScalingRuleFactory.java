package io.thetalazy.core.param;

import java.util.Set;

/** Creates a {@link ScalingRule} from the parameters given with its name in a config; bound by name in Guice. */
public interface ScalingRuleFactory {
    /** The parameter keys the rule takes (others are "did you mean" errors). */
    Set<String> parameterNames();

    ScalingRule create(NamedParameters parameters);

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
