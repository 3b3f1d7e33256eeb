package io.thetalazy.fcn;

import static io.thetalazy.core.error.ErrorCode.SHAPE_MISMATCH;

import io.thetalazy.core.error.FrameworkException;
import io.thetalazy.core.layer.ActivationLayer;
import io.thetalazy.core.layer.Dense;
import io.thetalazy.core.layer.Layer;
import io.thetalazy.core.layer.NetworkSpec;
import io.thetalazy.core.layer.Serial;
import io.thetalazy.core.layer.Shape;
import io.thetalazy.core.layer.TrainableLayer;
import java.util.ArrayList;
import java.util.List;

/**
 * Fully connected network of depth L and width m on inputs [d] (docs/theory.md#normalized-view):
 * {@code dense-1, phi, dense-2, phi, ..., dense-L, phi, readout-(L+1)}. The input layer's fan-in d does not grow with
 * m; hidden fan-ins and the readout's are m. This is the template plugin a new architecture copies.
 */
public final class FcnArchitecture implements io.thetalazy.core.plugin.Architecture {
    @Override
    public String name() {
        return FcnModule.ID;
    }

    @Override
    public String description() {
        return "fully connected network: depth hidden dense layers of the given width, a scalar readout";
    }

    @Override
    public Layer build(NetworkSpec spec) {
        if (spec.inputShape().rank() != 1) {
            throw new FrameworkException(SHAPE_MISMATCH,
                    "fcn takes feature vectors [d], found input shape " + spec.inputShape() + "; flatten the data or use cnn");
        }
        int d = spec.inputShape().dimension(0);
        int m = spec.width();
        int depth = spec.depth();
        List<Layer> layers = new ArrayList<>();
        for (int l = 1; l <= depth; l++) {
            int fanIn = l == 1 ? d : m;
            double fanInPower = l == 1 ? 0 : 1;
            layers.add(new Dense(TrainableLayer.of(spec, "dense", l, Shape.of(m, fanIn), fanInPower, m, 1)));
            layers.add(new ActivationLayer(spec.activation()));
        }
        // fan-in m: the power 1 says it grows with the width; the fan-in itself is read from the weight's shape
        layers.add(new Dense(TrainableLayer.of(spec, "readout", depth + 1, Shape.of(1, m), 1, 1, 0)));
        return new Serial(layers);
    }
}
