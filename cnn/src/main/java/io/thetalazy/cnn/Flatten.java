package io.thetalazy.cnn;

import static io.thetalazy.core.error.ErrorCode.SHAPE_MISMATCH;

import io.thetalazy.core.error.FrameworkException;
import io.thetalazy.core.kernel.KernelState;
import io.thetalazy.core.kernel.StateArrays;
import io.thetalazy.core.kernel.StateLayout;
import io.thetalazy.core.layer.Gradients;
import io.thetalazy.core.layer.Layer;
import io.thetalazy.core.layer.Params;
import io.thetalazy.core.layer.Shape;
import io.thetalazy.core.layer.Tape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Flattens features [n, C, S...] to [n, C P] (channel-major, positions row-major): the input of the flatten readout.
 *
 * <p>Kernel rule (docs/theory.md#convolutional-networks): the readout normalizes by 1/m over its m P inputs, so the
 * state it receives is (1/m) sum_{c, p} x_c(p) x'_c(p) = sum_p Sigma(p, p): nngp, variances and every component are
 * summed over the same-position pairs (the diagonal layout's positions, the full layout's spatial diagonal), and the
 * readout's K^[L+1] = sum_p Sigma^(L)(p, p). This is the sum, not the mean, over positions: a dense layer after this
 * one would see its fan-in-normalized covariance as this state divided by P, so only a readout may follow.
 */
public record Flatten() implements Layer {
    private static final String SHAPE = "shape";
    private static final String OUTPUT = "output";
    private static final String INPUT_COTANGENT = "input-cotangent";

    @Override
    public Shape outputShape(Shape input) {
        if (input.rank() < 2) {
            throw new FrameworkException(SHAPE_MISMATCH,
                    "flatten expects features [C, W] or [C, H, W], found " + input);
        }
        return Shape.of(Math.toIntExact(input.size()));
    }

    @Override
    public INDArray apply(Params params, INDArray input, Tape tape) {
        if (input.rank() < 3) {
            throw new FrameworkException(SHAPE_MISMATCH, "flatten expects a batch [n, C, S...], found "
                    + Arrays.toString(input.shape()));
        }
        tape.put(SHAPE, input);
        long n = input.size(0);
        // a copy into a buffer kept on the tape: no fresh memory per step, and no alias of the layer before's arrays
        long features = input.length() / n;
        return tape.buffer(OUTPUT, input.dataType(), n, features).assign(input.reshape('c', n, features));
    }

    @Override
    public INDArray backward(Params params, Tape tape, INDArray cotangent, Gradients into) {
        return tape.buffer(INPUT_COTANGENT, cotangent.dataType(), tape.array(SHAPE).shape())
                .assign(cotangent.reshape('c', tape.array(SHAPE).shape()));
    }

    @Override
    public KernelState kernel(KernelState state) {
        KernelLayout layout = SpatialKernels.layout(state, "flatten");
        List<INDArray> layers = new ArrayList<>();
        for (INDArray component : state.layers()) {
            layers.add(sumOverPositions(component, 2, layout));
        }
        int leading = SpatialKernels.varLeading(layout);
        long n1 = state.var1().size(0);
        long n2 = state.var2().size(0);
        return state.derive(sumOverPositions(state.nngp(), 2, layout),
                sumOverPositions(state.var1(), leading, layout).reshape(n1),
                sumOverPositions(state.var2(), leading, layout).reshape(n2), layers, false, state.gaussian(),
                StateLayout.DENSE);
    }

    /** Sum over p of a[.., p] (diagonal) or a[.., p, p] (full), giving the leading axes. */
    static INDArray sumOverPositions(INDArray a, int leading, KernelLayout layout) {
        long[] lead = Arrays.copyOf(a.shape(), leading);
        long rows = 1;
        for (long size : lead) {
            rows *= size;
        }
        long rest = a.length() / rows;
        INDArray matrix = StateArrays.plainOf(a).reshape(rows, rest);    // a view when a is plain
        INDArray summed = switch (layout) {
            case DIAGONAL -> matrix.sum(1);
            case FULL -> {
                long positions = Math.round(Math.sqrt(rest));
                // One position: the pair itself (ND4J M2.1 rejects the strided interval(0, 2, 1) on one column).
                yield positions == 1 ? matrix.sum(1)
                        : matrix.get(NDArrayIndex.all(), NDArrayIndex.interval(0, positions + 1, rest)).sum(1);
            }
        };
        return summed.reshape(lead);
    }
}
