package io.thetalazy.kernels.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.thetalazy.core.layer.Activations;
import io.thetalazy.core.layer.ActivationLayer;
import io.thetalazy.core.layer.Dense;
import io.thetalazy.core.layer.Layer;
import io.thetalazy.core.layer.Network;
import io.thetalazy.core.layer.NetworkSpec;
import io.thetalazy.core.layer.Serial;
import io.thetalazy.core.layer.Shape;
import io.thetalazy.core.layer.TrainableLayer;
import io.thetalazy.core.init.Initializers;
import io.thetalazy.core.param.NtkRule;
import io.thetalazy.core.param.Parametrization;
import io.thetalazy.core.plugin.Architecture;
import io.thetalazy.kernels.testing.ArchitectureContract;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The contract on an architecture whose hidden widths alternate m and m/2, so that the readout reads m/2 units at even
 * depths: kappa and the predicted training kernel must use the readout's own fan-in, not m.
 */
final class BottleneckContractTest implements ArchitectureContract {
    /** dense layers of widths m, m/2, m, ... and a readout on the last. */
    static final class Bottleneck implements Architecture {
        @Override
        public String name() {
            return "bottleneck";
        }

        @Override
        public String description() {
            return "hidden widths alternating m and m/2";
        }

        @Override
        public Layer build(NetworkSpec spec) {
            int m = spec.width();
            int fanIn = spec.inputShape().dimension(0);
            double power = 0;
            List<Layer> layers = new ArrayList<>();
            for (int l = 1; l <= spec.depth(); l++) {
                int units = l % 2 == 1 ? m : m / 2;
                layers.add(new Dense(TrainableLayer.of(spec, "dense", l, Shape.of(units, fanIn), power, units, 1)));
                layers.add(new ActivationLayer(spec.activation()));
                fanIn = units;
                power = 1;
            }
            layers.add(new Dense(TrainableLayer.of(spec, "readout", spec.depth() + 1, Shape.of(1, fanIn), 1, 1, 0)));
            return new Serial(layers);
        }
    }

    @Override
    public Architecture architecture() {
        return new Bottleneck();
    }

    @Override
    public Shape tinyInputShape() {
        return Shape.of(3);
    }

    @Test
    void theCardsKappaCountsTheUnitsTheReadoutReads() {
        NetworkSpec spec = new NetworkSpec("bottleneck", 2048, 2, Shape.of(3), Activations.RELU, false,
                Initializers.GAUSSIAN, false, new NtkRule(), Map.of());
        Network network = new Bottleneck().network(spec);
        Parametrization view = Parametrization.of(network);
        assertThat(view.kernelWidth()).isEqualTo(1024);
        // NTK: kappa = n s beta / alpha = n / sqrt(n) = sqrt(n) with n = 1024 units read by the readout
        assertThat(view.kappa().value()).isCloseTo(32.0, within(1e-9));
    }
}
