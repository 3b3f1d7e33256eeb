package io.thetalazy.core.plugin;

import com.google.common.collect.ImmutableList;
import com.google.inject.CreationException;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Module;
import com.google.inject.Stage;
import com.google.inject.util.Modules;
import io.thetalazy.core.error.ErrorCode;
import io.thetalazy.core.error.FrameworkException;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/** Builds the one injector of a process: the core module plus every architecture module ServiceLoader finds. */
public final class Plugins {
    private Plugins() {}

    /**
     * The architecture modules ServiceLoader finds on the class path.
     *
     * @throws FrameworkException with {@code INVALID_PLUGIN} when a listed module cannot be loaded
     */
    public static List<ArchitectureModule> discover() {
        try {
            return ServiceLoader.load(ArchitectureModule.class).stream()
                    .map(ServiceLoader.Provider::get)
                    .collect(ImmutableList.toImmutableList());
        } catch (ServiceConfigurationError e) {
            throw new FrameworkException(ErrorCode.INVALID_PLUGIN, ("an architecture plugin on the class path cannot be"
                    + " loaded (%s): rebuild it against this thetalazy version, or take it off the class path"
                    + " (THETALAZY_CLASSPATH, plugins/)").formatted(e.getMessage()), e);
        }
    }

    /**
     * The injector of the core module, every discovered architecture module and the overrides.
     *
     * @throws FrameworkException with {@code INVALID_PLUGIN} when no architecture module is on the class path or the
     *     modules cannot be wired together
     */
    public static Injector createInjector(Module... overrides) {
        List<ArchitectureModule> modules = discover();
        if (modules.isEmpty()) {
            throw new FrameworkException(ErrorCode.INVALID_PLUGIN, "no architecture plugin on the class path: add one,"
                    + " for example the shipped io.thetalazy:thetalazy-fcn, thetalazy-cnn or thetalazy-resnet");
        }
        Module all = Modules.override(ImmutableList.<Module>builder().add(new CoreModule()).addAll(modules).build())
                .with(overrides);
        try {
            return Guice.createInjector(Stage.PRODUCTION, all);
        } catch (CreationException e) {
            String first = e.getErrorMessages().isEmpty() ? e.getMessage()
                    : e.getErrorMessages().iterator().next().getMessage();
            throw new FrameworkException(ErrorCode.INVALID_PLUGIN, "the architecture plugins cannot be wired together: "
                    + first.lines().findFirst().orElse(first), e);
        }
    }

    /** The registry of a fresh injector (convenience for library users and tests). */
    public static Registry registry() {
        return createInjector().getInstance(Registry.class);
    }
}
