package io.thetalazy.core.param;

import java.util.Map;

/**
 * muP for SGD (Yang and Hu, Tensor Programs IV, Table 3): s = 1; beta = 1/sqrt(n_0) at the input, 1/sqrt(n_{l-1})
 * for hidden layers, 1/m at the readout; eta = m at the input, 1 hidden, 1/m at the readout. kappa = 1 and
 * mu = (m d, m, ..., m) (docs/theory.md#scaling-rules).
 */
public record MupRule() implements ScalingRule {
    /** The name configs select this rule by ({@code mup}). */
    public static final String NAME = "mup";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Map<String, Object> parameters() {
        return Map.of();
    }

    @Override
    public LayerScaling weight(LayerSlot slot) {
        if (slot.isReadout()) {
            Scaled inverseWidth = slot.units().inverse();
            return new LayerScaling(Scaled.ONE, inverseWidth, inverseWidth);
        }
        Scaled lr = slot.isInputLayer() ? Scaled.power(1, slot.width(), 1) : Scaled.ONE;
        return new LayerScaling(Scaled.ONE, slot.fanInScaled().sqrt().inverse(), lr);
    }

    @Override
    public Scaled outputMultiplier(LayerSlot readout) {
        return Scaled.ONE;
    }
}
