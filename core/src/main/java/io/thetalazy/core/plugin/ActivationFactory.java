package io.thetalazy.core.plugin;

import io.thetalazy.core.layer.Activation;
import io.thetalazy.core.param.NamedParameters;
import java.util.Set;
import java.util.function.Function;

/** Creates an activation from the parameters given with its name (leaky-relu's {@code slope}); bound by name. */
public interface ActivationFactory {
    Set<String> parameterNames();

    Activation create(NamedParameters parameters);

    static ActivationFactory of(Activation activation) {
        return of(Set.of(), p -> activation);
    }

    static ActivationFactory of(Set<String> parameterNames, Function<NamedParameters, Activation> create) {
        return new ActivationFactory() {
            @Override
            public Set<String> parameterNames() {
                return parameterNames;
            }

            @Override
            public Activation create(NamedParameters parameters) {
                return create.apply(parameters.requireKeys(parameterNames));
            }
        };
    }
}
