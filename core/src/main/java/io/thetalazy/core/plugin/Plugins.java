package io.thetalazy.core.plugin;

import com.google.common.collect.ImmutableList;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Module;
import com.google.inject.Stage;
import com.google.inject.util.Modules;
import java.util.List;
import java.util.ServiceLoader;

/** Builds the one injector of a process: the core module plus every architecture module ServiceLoader finds. */
public final class Plugins {
    private Plugins() {}

    public static List<ArchitectureModule> discover() {
        return ServiceLoader.load(ArchitectureModule.class).stream()
                .map(ServiceLoader.Provider::get)
                .collect(ImmutableList.toImmutableList());
    }

    public static Injector createInjector(Module... overrides) {
        List<ArchitectureModule> modules = discover();
        if (modules.isEmpty()) {
            throw new IllegalStateException("No " + ArchitectureModule.class.getName()
                    + " on the class path; add fcn, cnn or resnet");
        }
        Module all = Modules.override(ImmutableList.<Module>builder().add(new CoreModule()).addAll(modules).build())
                .with(overrides);
        return Guice.createInjector(Stage.PRODUCTION, all);
    }

    /** The registry of a fresh injector (convenience for library users and tests). */
    public static Registry registry() {
        return createInjector().getInstance(Registry.class);
    }
}
