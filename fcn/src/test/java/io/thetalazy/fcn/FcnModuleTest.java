package io.thetalazy.fcn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thetalazy.core.error.FrameworkException;
import io.thetalazy.core.layer.NetworkSpec;
import io.thetalazy.core.layer.Shape;
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

    @Test
    void specsAreCheckedOnTheLibraryPathAsOnTheCommandLine() {
        var fcn = Plugins.registry().architecture("fcn");
        NetworkSpec.Builder spec = NetworkSpec.builder("fcn").width(8).depth(2).inputShape(Shape.of(3));
        assertThat(fcn.network(spec.build()).trainables()).hasSize(3);
        assertThatThrownBy(() -> fcn.network(NetworkSpec.builder("cnn").width(8).depth(2).inputShape(Shape.of(3))
                .build()))
                .isInstanceOf(FrameworkException.class)
                .hasMessage("the spec is for architecture 'cnn', not 'fcn'");
        assertThatThrownBy(() -> fcn.network(spec.option("kernelSize", 3).build()))
                .isInstanceOf(FrameworkException.class)
                .hasMessageContaining("architecture 'fcn' takes no option 'kernelSize'");
        assertThatThrownBy(() -> NetworkSpec.builder("fcn").width(8).depth(2).build())
                .hasMessageContaining("input shape is not set");
    }
}
