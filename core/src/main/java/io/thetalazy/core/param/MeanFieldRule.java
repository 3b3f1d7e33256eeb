package io.thetalazy.core.param;

import java.util.Map;

/**
 * Mean-field parametrization: s_l = 1/sqrt(n_{l-1}) for hidden layers, s = 1/m for the readout, beta = eta = 1;
 * kappa = 1 (docs/theory.md#scaling-rules). For L = 1 it is LXMZ's mean-field model up to the constant sqrt(d); for L
 * >= 2 it is in the muP class.
 */
public record MeanFieldRule() implements ScalingRule {
    /** The name configs select this rule by ({@code mean-field}). */
    public static final String NAME = "mean-field";

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
        Scaled forward = slot.isReadout()
                ? slot.units().inverse()
                : slot.fanInScaled().sqrt().inverse();
        return new LayerScaling(forward, Scaled.ONE, Scaled.ONE);
    }

    @Override
    public Scaled outputMultiplier(LayerSlot readout) {
        return Scaled.ONE;
    }
}
