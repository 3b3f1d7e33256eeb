package io.thetalazy.cnn;

import static io.thetalazy.core.error.ErrorCode.INVALID_ARGUMENT;
import static io.thetalazy.core.error.ErrorCode.SHAPE_MISMATCH;

import io.thetalazy.core.error.FrameworkException;
import io.thetalazy.core.kernel.KernelState;
import io.thetalazy.core.layer.Gradients;
import io.thetalazy.core.layer.Layer;
import io.thetalazy.core.layer.Params;
import io.thetalazy.core.layer.Shape;
import io.thetalazy.core.layer.Tape;
import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Average pooling over non-overlapping windows of w^r positions (stride w; a remainder at the end of an axis is
 * dropped): features [n, C, S...] to [n, C, floor(S / w)...]; {@link #WINDOW} is the usual w = 2.
 *
 * <p>Kernel rule: a fixed linear map, so the covariance and every component become
 * (1/w^{2r}) sum_{i, i'} Sigma(p w + i, p' w + i') over pairs of window offsets. This mixes different positions, so
 * it needs the {@link KernelLayout#FULL full} layout.
 *
 * @param window w, at least 1
 */
public record AveragePooling(int window) implements Layer {
    public static final int WINDOW = 2;
    private static final String INPUT = "input";

    public AveragePooling {
        if (window < 1) {
            throw new FrameworkException(INVALID_ARGUMENT, "pooling window must be at least 1, found " + window);
        }
    }

    private Geometry geometry(long[] spatial) {
        return Geometry.pooling("average pooling", Arrays.stream(spatial).mapToInt(Math::toIntExact).toArray(), window);
    }

    @Override
    public Shape outputShape(Shape input) {
        if (input.rank() < 2 || input.rank() > 3) {
            throw new FrameworkException(SHAPE_MISMATCH, "average pooling expects features [C, W] or [C, H, W], found "
                    + input);
        }
        long[] dims = input.toLongArray();
        int[] output = geometry(Arrays.copyOfRange(dims, 1, dims.length)).output();
        int[] all = new int[output.length + 1];
        all[0] = input.dimension(0);
        System.arraycopy(output, 0, all, 1, output.length);
        return Shape.of(all);
    }

    @Override
    public INDArray apply(Params params, INDArray input, Tape tape) {
        if (input.rank() < 3 || input.rank() > 4) {
            throw new FrameworkException(SHAPE_MISMATCH, "average pooling expects a batch [n, C, W] or [n, C, H, W], "
                    + "found " + Arrays.toString(input.shape()));
        }
        tape.put(INPUT, input);
        Geometry geometry = geometry(Arrays.copyOfRange(input.shape(), 2, input.rank()));
        return geometry.sumOverOffsets(input, 2, 1, false).divi(geometry.offsets());
    }

    @Override
    public INDArray backward(Params params, Tape tape, INDArray cotangent, Gradients into) {
        INDArray input = tape.array(INPUT);
        Geometry geometry = geometry(Arrays.copyOfRange(input.shape(), 2, input.rank()));
        return geometry.spreadOverOffsets(cotangent.div(geometry.offsets()), 2);
    }

    @Override
    public KernelState kernel(KernelState state) {
        KernelLayout layout = SpatialKernels.layout(state, "average pooling");
        if (layout != KernelLayout.FULL) {
            throw new FrameworkException(SHAPE_MISMATCH, ("average pooling needs the full spatial kernel state "
                    + "[n1, n2, S..., S...] (it mixes positions), found the diagonal layout %s; build the input state "
                    + "with KernelLayout.FULL").formatted(Arrays.toString(state.nngp().shape())));
        }
        int[] spatial = SpatialKernels.spatialShape(state, layout);
        Geometry geometry = geometry(Arrays.stream(spatial).asLongStream().toArray());
        double scale = 1.0 / ((double) geometry.offsets() * geometry.offsets());
        return SpatialKernels.map(state, layout,
                (array, leading) -> geometry.sumOverOffsets(array, leading, 2, true).muli(scale));
    }
}
