package io.thetalazy.kernels.empirical;

import static io.thetalazy.core.error.ErrorCode.SHAPE_MISMATCH;

import io.thetalazy.core.error.FrameworkException;
import io.thetalazy.core.kernel.KernelSink;
import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Sums the contributions a network's layers send for each index l (weight, bias, antisymmetric copy), and apart from
 * them the bias parts. The first contribution is kept as sent (layers send fresh arrays); a second one starts a sum this
 * class owns, so no array it did not allocate is modified.
 */
final class LayerKernelAccumulator implements KernelSink {
    private final INDArray[] sums;
    private final boolean[] owned;
    private final INDArray[] biasSums;
    private final boolean[] biasOwned;
    private final long rows;
    private final long columns;

    LayerKernelAccumulator(int layers, long rows, long columns) {
        this.sums = new INDArray[layers];
        this.owned = new boolean[layers];
        this.biasSums = new INDArray[layers];
        this.biasOwned = new boolean[layers];
        this.rows = rows;
        this.columns = columns;
    }

    @Override
    public void add(int layerIndex, INDArray contribution) {
        if (layerIndex < 1 || layerIndex > sums.length) {
            // a layer's index comes from the network's own numbering: a wrong one is a bug in the layer
            throw new IllegalStateException("a layer sent a tangent-kernel contribution for index %d; the network has "
                    .formatted(layerIndex) + "trainable layers 1.." + sums.length);
        }
        if (contribution.rank() != 2 || contribution.size(0) != rows || contribution.size(1) != columns) {
            throw new FrameworkException(SHAPE_MISMATCH, "layer %d sent a tangent-kernel contribution of shape %s, "
                    .formatted(layerIndex, Arrays.toString(contribution.shape())) + "expected [%d, %d]"
                    .formatted(rows, columns));
        }
        accumulate(sums, owned, layerIndex - 1, contribution);
    }

    @Override
    public void addBias(int layerIndex, INDArray contribution) {
        add(layerIndex, contribution);
        accumulate(biasSums, biasOwned, layerIndex - 1, contribution);
    }

    /** Adds a contribution to sums[i]: kept as sent first, then summed into an array this class owns. */
    private static void accumulate(INDArray[] sums, boolean[] owned, int i, INDArray contribution) {
        if (sums[i] == null) {
            sums[i] = contribution;
        } else if (!owned[i]) {
            sums[i] = sums[i].add(contribution);
            owned[i] = true;
        } else {
            sums[i].addi(contribution);
        }
    }

    /** The bias part of Theta_l, or null when layer l sent none. */
    INDArray bias(int index) {
        return biasSums[index - 1];
    }

    /** Theta_l, or null when no layer sent a contribution for l (a layer without a contraction). */
    INDArray layer(int index) {
        return sums[index - 1];
    }
}
