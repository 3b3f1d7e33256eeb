package io.thetalazy.core.kernel;

import java.util.List;

/**
 * The activation rule (docs/theory.md#activations-and-gaussian-duals) on the dense layout in one pass over the
 * covariance, tile by tile ({@link DenseChain} with one step): for each row of a tile it computes Sigma and D together
 * ({@link GaussianDual#rows}, with the square roots of the variances taken once per row and column) and multiplies
 * every earlier component's entries by D, in place where the state may overwrite the component and into a new array
 * otherwise. On a symmetric state ({@link KernelState#symmetric}) only the tiles on and above the diagonal are computed
 * and each is also written transposed below it, which halves the work and keeps the results exactly symmetric. Tiles
 * are split across the cores; every entry is computed by the same expressions as the array methods, so the results are
 * identical (below the diagonal of a symmetric state: identical to the entry above it, which the array methods compute
 * with c11 and c22 swapped; equal for every dual whose expressions are symmetric in them, within an ulp or so for erf's
 * D).
 */
public final class DenseActivation {
    private DenseActivation() {}

    /** Whether the fused path applies: dense layout, contiguous float64 arrays, a dual with a row form. */
    public static boolean applies(GaussianDual dual, KernelState state) {
        return dual.hasRows() && DenseChain.applies(state);
    }

    /**
     * The new state: Sigma as NNGP, components times D, variances through the dual. Requires {@link #applies}.
     * The components the state may overwrite are overwritten.
     */
    public static KernelState apply(GaussianDual dual, KernelState state) {
        return DenseChain.apply(List.of(new DenseStep.Activation(dual)), state);
    }
}
