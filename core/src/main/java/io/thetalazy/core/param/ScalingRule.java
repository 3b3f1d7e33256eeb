package io.thetalazy.core.param;

import java.util.Map;

/**
 * A parametrization: how s_l, beta_l, eta_l and the output multiplier 1/alpha depend on the width and fan-in
 * (docs/theory.md#scaling-rules). Implementations are records selected by name; parameters (such as theta-lazy's gamma)
 * are record components.
 */
public interface ScalingRule {
    /** The name the rule is selected by ({@code ntk}, {@code theta-lazy}, ...). */
    String name();

    /** The rule's parameters in a fixed order, for card.json and the resolved config. */
    Map<String, Object> parameters();

    /** Forward multiplier, init std and learning-rate multiplier of the weight of the layer in the given slot. */
    LayerScaling weight(LayerSlot slot);

    /** Output multiplier 1/alpha, given the readout's slot. */
    Scaled outputMultiplier(LayerSlot readout);

    /**
     * Bias scaling (s^b, beta^b, eta^b) of a hidden layer with biases on (docs/theory.md#biases); default (1, 0,
     * eta_l): zero initialization with the weight's learning-rate multiplier.
     */
    default LayerScaling bias(LayerSlot slot) {
        return new LayerScaling(Scaled.ONE, Scaled.constant(0), weight(slot).lrMultiplier());
    }

    /** Fails with a clear message when the rule cannot be used at this depth (lxmz is two-layer only). */
    default void checkDepth(int depth) {}
}
