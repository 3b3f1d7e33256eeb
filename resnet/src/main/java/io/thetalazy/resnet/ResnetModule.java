package io.thetalazy.resnet;

import com.google.inject.AbstractModule;
import com.google.inject.multibindings.MapBinder;
import io.thetalazy.core.plugin.Architecture;
import io.thetalazy.core.plugin.ArchitectureModule;

/** Binds architecture "resnet". Public bindings: entry "resnet" of {@code Map<String, Architecture>}. */
public final class ResnetModule extends AbstractModule implements ArchitectureModule {
    public static final String ID = "resnet";

    @Override
    protected void configure() {
        MapBinder.newMapBinder(binder(), String.class, Architecture.class).addBinding(ID).to(ResnetArchitecture.class);
    }
}
