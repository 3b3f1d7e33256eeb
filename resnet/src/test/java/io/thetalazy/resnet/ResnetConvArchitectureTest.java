package io.thetalazy.resnet;

import static org.assertj.core.api.Assertions.assertThat;

import io.thetalazy.core.layer.Activations;
import io.thetalazy.core.layer.Shape;
import io.thetalazy.core.layer.TrainableLayer;
import io.thetalazy.core.param.NtkRule;
import io.thetalazy.core.plugin.Architecture;
import io.thetalazy.kernels.testing.ArchitectureContract;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The conformance suite on conv branches (1-d signals, one block, global-average readout). */
final class ResnetConvArchitectureTest implements ArchitectureContract {
    @Override
    public Architecture architecture() {
        return new ResnetArchitecture();
    }

    @Override
    public Shape tinyInputShape() {
        return Fixtures.SIGNAL;
    }

    @Override
    public Map<String, Object> tinyOptions() {
        return Map.of(ResnetOptions.BRANCH, "conv", ResnetOptions.READOUT, "global-average");
    }

    @Override
    public int tinyDepth() {
        return ResnetOptions.depth(1);
    }

    @Test
    void convolutionsKeepTheSignalAndAreNamedByDimension() {
        var layers = Fixtures.network(Fixtures.conv(6, 2, Activations.RELU, new NtkRule(), 1, false, "flatten"))
                .trainables();
        assertThat(layers).extracting(TrainableLayer::name)
                .containsExactly("embedding-1", "conv1d-2", "conv1d-3", "conv1d-4", "conv1d-5", "readout-6");
        assertThat(layers).extracting(l -> l.weightShape().toString())
                .containsExactly("[6, 2, 3]", "[6, 6, 3]", "[6, 6, 3]", "[6, 6, 3]", "[6, 6, 3]", "[1, 30]");
    }
}
