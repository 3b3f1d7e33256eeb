package io.thetalazy.cnn;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.inject.Injector;
import com.google.inject.Key;
import com.google.inject.TypeLiteral;
import io.thetalazy.core.plugin.Architecture;
import io.thetalazy.core.plugin.Plugins;
import io.thetalazy.core.plugin.Registry;
import java.util.Map;
import org.junit.jupiter.api.Test;

final class CnnModuleTest {
    @Test
    void serviceLoaderFindsTheModule() {
        assertThat(Plugins.discover()).hasAtLeastOneElementOfType(CnnModule.class);
    }

    @Test
    void injectorBindsTheArchitectureUnderItsName() {
        Injector injector = Plugins.createInjector();
        Map<String, Architecture> architectures =
                injector.getInstance(Key.get(new TypeLiteral<Map<String, Architecture>>() {}));
        assertThat(architectures).containsKey("cnn");
        assertThat(architectures.get("cnn")).isInstanceOf(CnnArchitecture.class);
        Registry registry = injector.getInstance(Registry.class);
        assertThat(registry.architecture(CnnModule.ID).name()).isEqualTo("cnn");
    }
}
