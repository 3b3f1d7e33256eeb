package io.thetalazy.core.kernel;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Receives the per-layer empirical tangent-kernel contributions
 * Theta_l(x1, x2) = &lt;df(x1)/dZhat^[l], df(x2)/dZhat^[l]&gt; computed by contraction ({@code Layer#tangentGram});
 * contributions to one index are summed (weight, bias, and the antisymmetric copy).
 */
@FunctionalInterface
public interface KernelSink {
    /**
     * @param layerIndex l, 1..L+1
     * @param contribution [n1, n2], in normalized units (derivatives with respect to W / beta)
     */
    void add(int layerIndex, INDArray contribution);

    /**
     * The part of Theta_l that comes from layer l's bias (derivatives with respect to b / nu_l): it belongs to Theta_l
     * like any contribution, and sinks that weight it by the bias's own mobility (the training kernel) keep it apart.
     */
    default void addBias(int layerIndex, INDArray contribution) {
        add(layerIndex, contribution);
    }
}
