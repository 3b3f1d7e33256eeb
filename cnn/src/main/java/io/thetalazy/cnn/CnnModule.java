package io.thetalazy.cnn;

import com.google.inject.AbstractModule;
import com.google.inject.multibindings.MapBinder;
import io.thetalazy.core.plugin.Architecture;
import io.thetalazy.core.plugin.ArchitectureModule;

/** Binds architecture "cnn". Public bindings: entry "cnn" of {@code Map<String, Architecture>}. */
public final class CnnModule extends AbstractModule implements ArchitectureModule {
    public static final String ID = "cnn";

    @Override
    protected void configure() {
        MapBinder.newMapBinder(binder(), String.class, Architecture.class).addBinding(ID).to(CnnArchitecture.class);
    }
}
