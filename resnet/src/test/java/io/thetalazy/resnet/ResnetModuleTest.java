package io.thetalazy.resnet;

import static org.assertj.core.api.Assertions.assertThat;

import io.thetalazy.core.plugin.ArchitectureModule;
import io.thetalazy.core.plugin.Plugins;
import io.thetalazy.core.plugin.Registry;
import org.junit.jupiter.api.Test;

final class ResnetModuleTest {
    @Test
    void serviceLoaderFindsTheModule() {
        assertThat(Plugins.discover()).extracting(ArchitectureModule::getClass).contains(ResnetModule.class);
    }

    @Test
    void injectorBindsResnetByName() {
        Registry registry = Plugins.registry();
        assertThat(registry.architectures()).containsKey("resnet");
        assertThat(registry.architecture("resnet")).isInstanceOf(ResnetArchitecture.class);
    }
}
