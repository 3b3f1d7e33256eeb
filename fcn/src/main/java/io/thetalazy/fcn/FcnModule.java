package io.thetalazy.fcn;

import com.google.inject.AbstractModule;
import com.google.inject.multibindings.MapBinder;
import io.thetalazy.core.plugin.Architecture;
import io.thetalazy.core.plugin.ArchitectureModule;

/** Binds architecture "fcn". Public bindings: entry "fcn" of {@code Map<String, Architecture>}. */
public final class FcnModule extends AbstractModule implements ArchitectureModule {
    public static final String ID = "fcn";

    @Override
    protected void configure() {
        MapBinder.newMapBinder(binder(), String.class, Architecture.class).addBinding(ID).to(FcnArchitecture.class);
    }
}
