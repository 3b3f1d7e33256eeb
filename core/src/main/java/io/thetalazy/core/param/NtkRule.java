package io.thetalazy.core.param;

import java.util.Map;

/**
 * NTK parametrization [JGH]: s_l = 1/sqrt(n_{l-1}), beta_l = 1, eta_l = 1; kappa = sqrt(m)
 * (docs/theory.md#scaling-rules).
 */
public record NtkRule() implements ScalingRule {
    /** The name configs select this rule by ({@code ntk}). */
    public static final String NAME = "ntk";

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
        return new LayerScaling(slot.fanInScaled().sqrt().inverse(), Scaled.ONE, Scaled.ONE);
    }

    @Override
    public Scaled outputMultiplier(LayerSlot readout) {
        return Scaled.ONE;
    }
}
