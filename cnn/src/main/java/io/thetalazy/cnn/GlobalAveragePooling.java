package io.thetalazy.cnn;

import static io.thetalazy.core.error.ErrorCode.SHAPE_MISMATCH;

import io.thetalazy.core.error.FrameworkException;
import io.thetalazy.core.kernel.KernelState;
import io.thetalazy.core.kernel.StateLayout;
import io.thetalazy.core.kernel.StateArrays;
import io.thetalazy.core.layer.Gradients;
import io.thetalazy.core.layer.Layer;
import io.thetalazy.core.layer.Params;
import io.thetalazy.core.layer.Shape;
import io.thetalazy.core.layer.Tape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastCopyOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Global average pooling {@code xbar_c = (1/P) sum_p x_c(p)}: features [n, C, S...] to [n, C], the input of the
 * global-average readout.
 *
 * <p>Kernel rule (docs/theory.md#convolutional-networks): the covariance of position means is the mean over all
 * position pairs, Sigma_bar = (1/P^2) sum_{p, p'} Sigma(p, p'), and likewise for the variances and every component, so
 * the readout's K^[L+1] = mean_{p, p'} Sigma^(L)(p, p'). Needs the {@link KernelLayout#FULL full} layout: the diagonal
 * one lacks the cross-position pairs.
 */
public record GlobalAveragePooling() implements Layer {
    private static final String INPUT = "input";
    private static final String INPUT_COTANGENT = "input-cotangent";
    private static final String MEAN_COTANGENT = "mean-cotangent";

    @Override
    public Shape outputShape(Shape input) {
        if (input.rank() < 2) {
            throw new FrameworkException(SHAPE_MISMATCH,
                    "global average pooling expects features [C, W] or [C, H, W], found " + input);
        }
        return Shape.of(input.dimension(0));
    }

    @Override
    public INDArray apply(Params params, INDArray input, Tape tape) {
        if (input.rank() < 3) {
            throw new FrameworkException(SHAPE_MISMATCH, "global average pooling expects a batch [n, C, S...], found "
                    + Arrays.toString(input.shape()));
        }
        tape.put(INPUT, input);
        // a 'c'-order input reshapes to a view: no copy of the features
        INDArray plain = input.ordering() == 'c' && org.nd4j.linalg.api.shape.Shape.hasDefaultStridesForShape(input)
                ? input : input.dup('c');
        return plain.reshape(input.size(0), input.size(1), -1).mean(2);
    }

    /** g / P broadcast over the positions, into a buffer kept on the tape (one broadcast copy, no fresh features). */
    @Override
    public INDArray backward(Params params, Tape tape, INDArray cotangent, Gradients into) {
        INDArray input = tape.array(INPUT);
        long[] shape = input.shape();
        long n = shape[0];
        long channels = shape[1];
        long positions = input.length() / (n * channels);
        INDArray out = tape.buffer(INPUT_COTANGENT, input.dataType(), shape);
        INDArray byPosition = out.reshape(n, channels, positions);
        // kept on the tape: ND4J may free a temporary operand during the op (docs/numerics.md#temporaries)
        INDArray mean = cotangent.reshape(n, channels).div(positions, tape.buffer(MEAN_COTANGENT, input.dataType(), n,
                channels));
        Nd4j.getExecutioner().exec(new BroadcastCopyOp(byPosition, mean, byPosition, 0, 1));
        return out;
    }

    @Override
    public KernelState kernel(KernelState state) {
        KernelLayout layout = SpatialKernels.layout(state, "global average pooling");
        if (layout != KernelLayout.FULL) {
            throw new FrameworkException(SHAPE_MISMATCH, ("global average pooling needs the full spatial kernel state "
                    + "[n1, n2, S..., S...] (all position pairs), found the diagonal layout %s; build the input state "
                    + "with KernelLayout.FULL").formatted(Arrays.toString(state.nngp().shape())));
        }
        List<INDArray> layers = new ArrayList<>();
        for (INDArray component : state.layers()) {
            layers.add(meanOverPositions(component, 2));
        }
        return state.derive(meanOverPositions(state.nngp(), 2),
                meanOverPositions(state.var1(), 2).reshape(state.var1().size(0)),
                meanOverPositions(state.var2(), 2).reshape(state.var2().size(0)), layers, false, state.gaussian(),
                StateLayout.DENSE);
    }

    private static INDArray meanOverPositions(INDArray a, int leading) {
        long[] lead = Arrays.copyOf(a.shape(), leading);
        long rows = 1;
        for (long size : lead) {
            rows *= size;
        }
        // a view when a is plain: no copy of the full state
        return StateArrays.plainOf(a).reshape(rows, a.length() / rows).mean(1).reshape(lead);
    }
}
