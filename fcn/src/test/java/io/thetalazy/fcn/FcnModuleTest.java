package io.thetalazy.fcn;

import static org.assertj.core.api.Assertions.assertThat;

import io.thetalazy.core.plugin.ArchitectureModule;
import io.thetalazy.core.plugin.Plugins;
import io.thetalazy.core.plugin.Registry;
import org.junit.jupiter.api.Test;

final class FcnModuleTest {
    @Test
    void serviceLoaderFindsTheModule() {
        assertThat(Plugins.discover()).extracting(ArchitectureModule::getClass).contains(FcnModule.class);
    }

    @Test
    void injectorBindsFcnByName() {
        Registry registry = Plugins.registry();
        assertThat(registry.architectures()).containsKey("fcn");
        assertThat(registry.architecture("fcn")).isInstanceOf(FcnArchitecture.class);
    }
}
