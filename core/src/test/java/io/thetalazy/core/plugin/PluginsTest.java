package io.thetalazy.core.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thetalazy.core.error.ErrorCode;
import io.thetalazy.core.error.FrameworkException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Plugin discovery fails with one FrameworkException, never a ServiceLoader or Guice stack trace. */
final class PluginsTest {
    @TempDir
    Path folder;

    @Test
    void noArchitectureOnTheClassPathIsAnInvalidPluginError() {
        // core's own test class path holds no architecture module
        assertThatThrownBy(Plugins::createInjector)
                .isInstanceOf(FrameworkException.class)
                .hasMessageContaining("no architecture plugin on the class path")
                .hasMessageContaining("thetalazy-fcn")
                .extracting(e -> ((FrameworkException) e).errorCode()).isEqualTo(ErrorCode.INVALID_PLUGIN);
    }

    @Test
    void aListedModuleThatCannotBeLoadedIsNamed() throws Exception {
        Path services = folder.resolve("META-INF/services");
        Files.createDirectories(services);
        Files.writeString(services.resolve(ArchitectureModule.class.getName()), "org.example.Missing\n");
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        try (URLClassLoader loader = new URLClassLoader(new URL[] {folder.toUri().toURL()}, previous)) {
            Thread.currentThread().setContextClassLoader(loader);
            assertThatThrownBy(Plugins::discover)
                    .isInstanceOf(FrameworkException.class)
                    .hasMessageContaining("cannot be loaded")
                    .hasMessageContaining("org.example.Missing")
                    .extracting(e -> ((FrameworkException) e).errorCode()).isEqualTo(ErrorCode.INVALID_PLUGIN);
        } finally {
            Thread.currentThread().setContextClassLoader(previous);
        }
        assertThat(Plugins.discover()).isEmpty();
    }
}
