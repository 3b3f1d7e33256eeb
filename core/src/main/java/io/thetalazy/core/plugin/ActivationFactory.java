package io.thetalazy.core.plugin;

import io.thetalazy.core.layer.Activation;
import io.thetalazy.core.param.NamedParameters;
import java.util.Set;
import java.util.function.Function;

/** Creates an activation from the parameters given with its name (leaky-relu's {@code slope}); bound by name. */
public interface ActivationFactory {
    /** The parameter keys the activation takes (others are "did you mean" errors). */
    Set<String> parameterNames();

    /** The activation with these parameters (checked against {@link #parameterNames()}). */
    Activation create(NamedParameters parameters);

    /** A factory of an activation without parameters. */
    static ActivationFactory of(Activation activation) {
        return of(Set.of(), p -> activation);
    }

    /**
     * A factory that checks the given keys, then builds the activation with {@code create}: how a plugin binds an
     * activation of its own (docs/plugins.md).
     */
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
