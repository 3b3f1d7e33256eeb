package io.thetalazy.core.param;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * The invariant of one residual block x -> x + tau b(x) (docs/theory.md#normalized-view): tau times the product of its
 * branch layers' gains, tau sigma_v sigma_w for a two-layer branch. The skip has gain 1, so the branch gains cannot be
 * pulled out into kappa; for a homogeneous activation only their product with tau matters (moving gain between the
 * branch's layers changes nothing), so it is the block's own invariant, reported beside kappa.
 *
 * @param layers the indices l of the branch's trainable layers, input side first
 * @param branchMultiplier tau
 * @param value tau prod_l sigma_l over the branch's layers
 */
public record BlockInvariant(List<Integer> layers, Scaled branchMultiplier, Scaled value) {
    /** Copies the layer indices. */
    public BlockInvariant {
        layers = List.copyOf(layers);
        requireNonNull(branchMultiplier, "branchMultiplier is null");
        requireNonNull(value, "value is null");
    }
}
