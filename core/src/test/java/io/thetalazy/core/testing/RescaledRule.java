package io.thetalazy.core.testing;

import static java.util.Objects.requireNonNull;

import io.thetalazy.core.param.LayerScaling;
import io.thetalazy.core.param.LayerSlot;
import io.thetalazy.core.param.Scaled;
import io.thetalazy.core.param.ScalingRule;
import java.util.Map;

/**
 * A rule that rescales another layer by layer (index l - 1 into each array): beta_l *= c_l, s_l *= g_l / c_l (so the
 * gain sigma_l is multiplied by g_l), eta_l *= e_l, 1/alpha *= a. For the invariance tests of
 * docs/theory.md#normalized-view: c_l with e_l = c_l^2 is the abc symmetry, g_l with a product of 1 moves gain between
 * layers.
 */
public record RescaledRule(ScalingRule base, double[] initFactors, double[] gainFactors, double[] lrFactors,
        double output) implements ScalingRule {
    public RescaledRule {
        requireNonNull(base, "base is null");
        initFactors = initFactors.clone();
        gainFactors = gainFactors.clone();
        lrFactors = lrFactors.clone();
    }

    @Override
    public String name() {
        return "rescaled";
    }

    @Override
    public Map<String, Object> parameters() {
        return Map.of();
    }

    @Override
    public LayerScaling weight(LayerSlot slot) {
        LayerScaling w = base.weight(slot);
        int l = slot.index() - 1;
        return new LayerScaling(w.forward().times(Scaled.constant(gainFactors[l] / initFactors[l])),
                w.initStd().times(Scaled.constant(initFactors[l])),
                w.lrMultiplier().times(Scaled.constant(lrFactors[l])));
    }

    @Override
    public Scaled outputMultiplier(LayerSlot readout) {
        return base.outputMultiplier(readout).times(Scaled.constant(output));
    }
}
