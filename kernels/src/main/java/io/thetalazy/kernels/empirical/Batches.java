package io.thetalazy.kernels.empirical;

import static io.thetalazy.core.error.ErrorCode.NON_FINITE_VALUE;

import io.thetalazy.core.error.FrameworkException;
import io.thetalazy.core.layer.Shape;
import io.thetalazy.core.layer.SmallArrays;
import io.thetalazy.core.layer.TrainableLayer;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** Helpers shared by the kernel computations: row blocks of a batch, finiteness checks, memory estimates. */
final class Batches {
    private Batches() {}

    /** Rows [from, to) of a batch [n, ...], as a fresh array. */
    static INDArray rows(INDArray batch, long from, long to) {
        INDArrayIndex[] indices = new INDArrayIndex[batch.rank()];
        indices[0] = NDArrayIndex.interval(from, to);
        for (int axis = 1; axis < indices.length; axis++) {
            indices[axis] = NDArrayIndex.all();
        }
        return batch.get(indices).dup();
    }

    static boolean isFinite(INDArray array) {
        return SmallArrays.isFinite(array);
    }

    /** Fails with NON_FINITE_VALUE naming the array when it holds NaN or infinity. */
    static void requireFinite(INDArray array, String name, String hint) {
        if (!isFinite(array)) {
            throw new FrameworkException(NON_FINITE_VALUE, name + " contains NaN or infinite values: " + hint);
        }
    }

    /**
     * Estimated bytes one sample occupies in the tapes of one forward and backward pass: per trainable layer its input
     * and output, the pre-activation and the cotangent plus temporaries (about 4 (in + out) numbers) at every spatial
     * position, for each antisymmetric copy.
     */
    static long tapeBytesPerSample(List<TrainableLayer> layers, Shape inputShape, boolean antisymmetric) {
        long positions = inputShape.rank() > 1 ? inputShape.size() / inputShape.dimension(0) : 1;
        long entries = 0;
        for (TrainableLayer layer : layers) {
            Shape weight = layer.weightShape();
            long out = weight.dimension(0);
            long in = weight.rank() > 1 ? weight.dimension(1) : 1;
            entries += 4 * (in + out);
        }
        return MemoryBudget.product(8, antisymmetric ? 2 : 1, positions, entries);
    }
}
