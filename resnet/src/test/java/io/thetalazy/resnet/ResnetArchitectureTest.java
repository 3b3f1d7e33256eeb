package io.thetalazy.resnet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.thetalazy.core.error.FrameworkException;
import io.thetalazy.core.init.Initializers;
import io.thetalazy.core.layer.Activations;
import io.thetalazy.core.layer.NetworkSpec;
import io.thetalazy.core.layer.Shape;
import io.thetalazy.core.layer.TrainableLayer;
import io.thetalazy.core.param.BlockInvariant;
import io.thetalazy.core.param.NtkRule;
import io.thetalazy.core.param.Parametrization;
import io.thetalazy.core.param.StandardRule;
import io.thetalazy.core.plugin.Architecture;
import io.thetalazy.kernels.testing.ArchitectureContract;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The conformance suite on dense branches (two blocks), and what only resnet has: numbering, options, kappa. */
final class ResnetArchitectureTest implements ArchitectureContract {
    @Override
    public Architecture architecture() {
        return new ResnetArchitecture();
    }

    @Override
    public Shape tinyInputShape() {
        return Shape.of(3);
    }

    @Override
    public int tinyDepth() {
        return ResnetOptions.depth(2);
    }

    @Test
    void layersAreTheEmbeddingTwoPerBlockAndTheReadout() {
        var layers = Fixtures.network(Fixtures.dense(8, 2, Activations.RELU, new NtkRule(), 1, false)).trainables();
        assertThat(layers).extracting(TrainableLayer::name)
                .containsExactly("embedding-1", "dense-2", "dense-3", "dense-4", "dense-5", "readout-6");
        assertThat(layers).extracting(l -> l.weightShape().toString())
                .containsExactly("[8, 3]", "[8, 8]", "[8, 8]", "[8, 8]", "[8, 8]", "[1, 8]");
        assertThat(layers).extracting(TrainableLayer::gainInside)
                .containsExactly(false, true, true, true, true, false);
    }

    @Test
    void kappaHasOnlyTheEmbeddingAndReadoutGainsAndEachBlockReportsItsInvariant() {
        int m = 64;
        // He: every sigma_l = sqrt 2, kappa_out = m sqrt(2/m) = sqrt(2 m)
        NetworkSpec spec = Fixtures.dense(m, 4, Activations.RELU, new StandardRule(StandardRule.Gain.HE), "1/sqrt(B)",
                false);
        Parametrization view = Parametrization.of(Fixtures.network(spec));
        assertThat(view.kappa().value()).isCloseTo(Math.sqrt(2 * m) * Math.sqrt(2), within(1e-12));
        assertThat(view.kappa().power()).isCloseTo(0.5, within(1e-12));
        assertThat(view.kappaConvention()).isEqualTo("gains-pulled-out");
        assertThat(view.blockInvariants()).extracting(BlockInvariant::layers)
                .containsExactly(java.util.List.of(2, 3), java.util.List.of(4, 5), java.util.List.of(6, 7),
                        java.util.List.of(8, 9));
        for (BlockInvariant invariant : view.blockInvariants()) {
            assertThat(invariant.branchMultiplier().value()).isEqualTo(0.5);
            assertThat(invariant.value().value()).isCloseTo(0.5 * 2, within(1e-12));
        }
        Parametrization tanh = Parametrization.of(Fixtures.network(Fixtures.dense(m, 1, Activations.TANH,
                new StandardRule(StandardRule.Gain.HE), 0.3, false)));
        assertThat(tanh.kappa().value()).isCloseTo(Math.sqrt(2 * m), within(1e-12));
        assertThat(tanh.kappaConvention()).isEqualTo("gains-inside");
        assertThat(tanh.blockInvariants().get(0).value().value()).isCloseTo(0.3 * 2, within(1e-12));
    }

    @Test
    void branchMultiplierOptions() {
        assertThat(new BranchMultiplier("1/sqrt(B)").value(9)).isEqualTo(1.0 / 3);
        assertThat(new BranchMultiplier("1/B").value(4)).isEqualTo(0.25);
        assertThat(new BranchMultiplier("0.7").value(4)).isEqualTo(0.7);
        assertThatThrownBy(() -> new BranchMultiplier("1/sqrt(L)")).isInstanceOf(FrameworkException.class)
                .hasMessage("resnet option tau must be one of [1, 1/sqrt(B), 1/B] or a number, found '1/sqrt(L)'");
        assertThatThrownBy(() -> new BranchMultiplier("-1")).isInstanceOf(FrameworkException.class)
                .hasMessage("resnet option tau must be a finite non-negative number, found -1");
    }

    @Test
    void depthMustCountTheEmbeddingAndTwoLayersPerBlock() {
        assertThatThrownBy(() -> ResnetOptions.from(Map.of(), 4)).isInstanceOf(FrameworkException.class)
                .hasMessage("resnet depth counts the trainable layers before the readout, the embedding and two per "
                        + "block, so it is 2 blocks + 1 (3, 5, 7, ...); found 4");
        assertThatThrownBy(() -> ResnetOptions.from(Map.of("blocks", 3), 5)).isInstanceOf(FrameworkException.class)
                .hasMessage("resnet depth counts the trainable layers before the readout, the embedding and two per "
                        + "block: 3 blocks need depth 7, found depth 5");
        assertThat(ResnetOptions.from(Map.of("blocks", 3), 7).blocks()).isEqualTo(3);
        assertThat(ResnetOptions.from(Map.of(), 7).blocks()).isEqualTo(3);
    }

    @Test
    void rejectsUnknownAndMisplacedOptions() {
        assertThatThrownBy(() -> ResnetOptions.from(Map.of("blocs", 1), 3)).isInstanceOf(FrameworkException.class)
                .hasMessageContaining("blocs").hasMessageContaining("blocks");
        assertThatThrownBy(() -> ResnetOptions.from(Map.of("branch", "convv"), 3))
                .isInstanceOf(FrameworkException.class)
                .hasMessageStartingWith("resnet option branch must be one of [dense, conv], found 'convv'")
                .hasMessageContaining("conv");
        assertThatThrownBy(() -> ResnetOptions.from(Map.of("kernelSize", 3), 3)).isInstanceOf(FrameworkException.class)
                .hasMessage("resnet option kernelSize applies to conv branches only; set branch: conv or remove it");
        NetworkSpec images = new NetworkSpec("resnet", 4, 3, Shape.of(1, 3, 3), Activations.RELU, false,
                Initializers.GAUSSIAN, false, new NtkRule(), Map.of());
        assertThatThrownBy(() -> new ResnetArchitecture().build(images)).isInstanceOf(FrameworkException.class)
                .hasMessage("resnet with dense branches takes feature vectors [d], found input shape [1, 3, 3]; set "
                        + "branch: conv for signals and images");
    }
}
