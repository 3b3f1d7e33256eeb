package io.thetalazy.experiments.data;

import static io.thetalazy.core.error.ErrorCode.NON_FINITE_VALUE;
import static io.thetalazy.core.error.ErrorCode.SHAPE_MISMATCH;
import static java.util.Objects.requireNonNull;

import io.thetalazy.core.error.FrameworkException;
import io.thetalazy.core.layer.Shape;
import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Training inputs x [n, sample shape...] and scalar targets y [n, 1], exactly as the network sees them (after any
 * preprocessing), with a one-line description.
 */
public record Dataset(INDArray x, INDArray y, String description) {
    public Dataset {
        requireNonNull(x, "x is null");
        requireNonNull(y, "y is null");
        if (y.rank() == 1) {
            y = y.reshape(y.length(), 1);
        }
        if (x.rank() < 2 || x.size(0) == 0) {
            throw new FrameworkException(SHAPE_MISMATCH, "inputs must be a non-empty batch [n, features...], found shape "
                    + Arrays.toString(x.shape()));
        }
        if (y.rank() != 2 || y.size(1) != 1 || y.size(0) != x.size(0)) {
            throw new FrameworkException(SHAPE_MISMATCH, "targets must be [n] or [n, 1] with n = %d (the number of inputs), found %s"
                    .formatted(x.size(0), Arrays.toString(y.shape())));
        }
        checkFinite(x, "inputs");
        checkFinite(y, "targets");
    }

    static void checkFinite(INDArray array, String what) {
        double[] values = array.dup('c').data().asDouble();
        long features = array.length() / array.size(0);
        for (int i = 0; i < values.length; i++) {
            if (!Double.isFinite(values[i])) {
                throw new FrameworkException(NON_FINITE_VALUE, "%s contain %s at row %d (column %d): clean or drop that row"
                        .formatted(what, values[i], i / features, i % features));
            }
        }
    }

    public int size() {
        return (int) x.size(0);
    }

    /** The per-sample input shape. */
    public Shape sampleShape() {
        long[] shape = x.shape();
        int[] dims = new int[shape.length - 1];
        for (int i = 1; i < shape.length; i++) {
            dims[i - 1] = (int) shape[i];
        }
        return Shape.of(dims);
    }
}
