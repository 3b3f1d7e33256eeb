package io.thetalazy.cnn;

import io.thetalazy.core.kernel.GaussianDual;
import io.thetalazy.core.kernel.KernelState;
import io.thetalazy.core.kernel.StateLayout;

/**
 * How a kernel state between convolutional layers stores the spatial covariance (S: the r spatial axes, P their
 * product), carried by the state ({@link KernelState#layout}); core's activation layer calls {@link #activation}.
 * <ul>
 *   <li>{@code DIAGONAL}: same-position pairs only: nngp [n1, n2, S...], nngp[a, b, p] = Sigma(x1_a at p, x2_b at p);
 *       var1 [n1, S...], var2 [n2, S...]. Convolutions and activations map it onto itself, so it suffices for the
 *       flatten readout [ADH+]; n1 n2 P entries per array.
 *   <li>{@code FULL}: every position pair: nngp [n1, n2, S..., S...]; var1 [n1, 1, S..., S...] and var2
 *       [n2, 1, S..., S...] the self-covariances of each sample. Needed by pooling and global average pooling;
 *       n1 n2 P^2 entries per array.
 * </ul>
 * Per-layer components K^[h] have the nngp's shape until the readout reduces them to [n1, n2].
 */
public enum KernelLayout implements StateLayout {
    DIAGONAL, FULL;

    /**
     * The streamed rule ({@link SpatialActivation}) for duals with a row form on contiguous float64 arrays, else the
     * dual's array methods on broadcast variances ({@link SpatialBroadcast}); the same numbers either way.
     */
    @Override
    public KernelState activation(GaussianDual dual, KernelState state) {
        if (SpatialActivation.applies(dual, state)) {
            return SpatialActivation.apply(dual, state);
        }
        return SpatialBroadcast.activation(dual, state);
    }
}
