package io.thetalazy.core.plugin;

import com.google.inject.AbstractModule;
import com.google.inject.multibindings.MapBinder;
import io.thetalazy.core.init.Initializer;
import io.thetalazy.core.init.Initializers;
import io.thetalazy.core.layer.Activations;
import io.thetalazy.core.param.ScalingRuleFactory;
import io.thetalazy.core.param.ScalingRules;
import java.util.Set;

/**
 * Declares the open sets plugins extend and binds the built-in members. Public bindings:
 * {@code Map<String, ScalingRuleFactory>}, {@code Map<String, Initializer>}, {@code Map<String, ActivationFactory>},
 * {@code Map<String, Architecture>} (declared empty; architecture modules add entries), and {@link Registry}.
 */
public final class CoreModule extends AbstractModule {
    /** The core bindings; {@link Plugins#createInjector} installs them with every architecture module. */
    public CoreModule() {}

    @Override
    protected void configure() {
        MapBinder<String, ScalingRuleFactory> rules = MapBinder.newMapBinder(binder(), String.class, ScalingRuleFactory.class);
        ScalingRules.builtIn().forEach((name, factory) -> rules.addBinding(name).toInstance(factory));

        MapBinder<String, Initializer> initializers = MapBinder.newMapBinder(binder(), String.class, Initializer.class);
        Initializers.builtIn().forEach((name, law) -> initializers.addBinding(name).toInstance(law));

        MapBinder<String, ActivationFactory> activations =
                MapBinder.newMapBinder(binder(), String.class, ActivationFactory.class);
        activations.addBinding("relu").toInstance(ActivationFactory.of(Activations.RELU));
        activations.addBinding("leaky-relu").toInstance(ActivationFactory.of(Set.of("slope"),
                p -> Activations.leakyRelu(p.number("slope", Activations.DEFAULT_LEAKY_SLOPE))));
        activations.addBinding("linear").toInstance(ActivationFactory.of(Activations.LINEAR));
        activations.addBinding("tanh").toInstance(ActivationFactory.of(Activations.TANH));
        activations.addBinding("erf").toInstance(ActivationFactory.of(Activations.ERF));
        activations.addBinding("sigmoid").toInstance(ActivationFactory.of(Activations.SIGMOID));
        activations.addBinding("gelu").toInstance(ActivationFactory.of(Activations.GELU));
        activations.addBinding("softplus").toInstance(ActivationFactory.of(Activations.SOFTPLUS));

        MapBinder.newMapBinder(binder(), String.class, Architecture.class);
        bind(Registry.class);
    }
}
