package io.thetalazy.kernels.testing;

import io.thetalazy.core.param.LayerScaling;
import io.thetalazy.core.param.LayerSlot;
import io.thetalazy.core.param.Scaled;
import io.thetalazy.core.param.ScalingRule;
import io.thetalazy.core.param.StandardRule;
import java.util.Map;

/**
 * The standard (LeCun) rule with biases that are initialized (beta^b = 0.5, s^b = 0.7, eta^b = 2), so that the bias
 * normalizer nu_l and the bias multiplier both enter the kernels.
 */
public record BiasedRule() implements ScalingRule {
    private static final ScalingRule WEIGHTS = new StandardRule(StandardRule.Gain.LECUN);

    @Override
    public String name() {
        return "test-biased";
    }

    @Override
    public Map<String, Object> parameters() {
        return Map.of();
    }

    @Override
    public LayerScaling weight(LayerSlot slot) {
        return WEIGHTS.weight(slot);
    }

    @Override
    public Scaled outputMultiplier(LayerSlot readout) {
        return Scaled.constant(0.8);
    }

    @Override
    public LayerScaling bias(LayerSlot slot) {
        return new LayerScaling(Scaled.constant(0.7), Scaled.constant(0.5), Scaled.constant(2));
    }
}
