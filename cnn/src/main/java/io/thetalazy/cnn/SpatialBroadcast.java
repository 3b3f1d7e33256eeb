package io.thetalazy.cnn;

import static io.thetalazy.core.error.ErrorCode.SHAPE_MISMATCH;

import io.thetalazy.core.error.FrameworkException;
import io.thetalazy.core.kernel.GaussianDual;
import io.thetalazy.core.kernel.KernelState;
import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The activation rule on a spatial state through the dual's array methods on broadcast variances, for duals without a
 * row form and arrays the streamed rule ({@link SpatialActivation}) does not take; components the state may overwrite
 * are multiplied by D in place ({@link KernelState#scaleLayers}), the others copied. c11 and c22 have the nngp's shape: the
 * variance of x1_a at the first position of the pair and of x2_b at the second. (first1, second1) are the same for
 * var1's own dual, (first2, second2) for var2's: var1 itself in the diagonal layout, its spatial diagonal at the two
 * positions in the full layout ({@link KernelLayout}).
 */
record SpatialBroadcast(INDArray c11, INDArray c22, INDArray first1, INDArray second1, INDArray first2,
        INDArray second2) {
    static KernelState activation(GaussianDual dual, KernelState state) {
        SpatialBroadcast b = of(state);
        INDArray sigma = dual.sigma(b.c11(), b.c22(), state.nngp());
        INDArray derivative = dual.derivative(b.c11(), b.c22(), state.nngp());
        INDArray var1 = dual.sigma(b.first1(), b.second1(), state.var1());
        INDArray var2 = dual.sigma(b.first2(), b.second2(), state.var2());
        KernelState scaled = state.scaleLayers(derivative);
        return scaled.derive(sigma, var1, var2, scaled.layers(), false, false);
    }

    static SpatialBroadcast of(KernelState state) {
        INDArray nngp = state.nngp();
        INDArray var1 = state.var1();
        INDArray var2 = state.var2();
        int rank = nngp.rank();
        long n1 = nngp.size(0);
        long n2 = nngp.size(1);
        long[] shape = nngp.shape();
        if (state.layout() == KernelLayout.DIAGONAL) {
            long[] rest = Arrays.copyOfRange(shape, 2, rank);
            checkLayout(state, var1.rank() == rank - 1 && Arrays.equals(var1.shape(), concat(new long[] {n1}, rest))
                    && Arrays.equals(var2.shape(), concat(new long[] {n2}, rest)));
            INDArray c11 = var1.reshape(concat(new long[] {n1, 1}, rest)).broadcast(shape);
            INDArray c22 = var2.reshape(concat(new long[] {1, n2}, rest)).broadcast(shape);
            return new SpatialBroadcast(c11, c22, var1, var1, var2, var2);
        }
        checkLayout(state, var1.rank() == rank && rank >= 4 && rank % 2 == 0);
        long[] spatial = Arrays.copyOfRange(shape, 2, 2 + (rank - 2) / 2);
        long positions = 1;
        for (long size : spatial) {
            positions *= size;
        }
        long[] half = concat(new long[] {1}, concat(spatial, spatial));
        checkLayout(state, Arrays.equals(var1.shape(), concat(new long[] {n1}, half))
                && Arrays.equals(var2.shape(), concat(new long[] {n2}, half))
                && Arrays.equals(Arrays.copyOfRange(shape, 2 + spatial.length, rank), spatial));
        INDArray d1 = diagonal(var1, n1, positions);
        INDArray d2 = diagonal(var2, n2, positions);
        INDArray c11 = d1.reshape(n1, 1, positions, 1).broadcast(n1, n2, positions, positions).reshape(shape);
        INDArray c22 = d2.reshape(1, n2, 1, positions).broadcast(n1, n2, positions, positions).reshape(shape);
        return new SpatialBroadcast(c11, c22, first(d1, n1, positions, var1), second(d1, n1, positions, var1),
                first(d2, n2, positions, var2), second(d2, n2, positions, var2));
    }

    /** The variances at each position, [n, P], from self-covariances [n, 1, S..., S...]. */
    private static INDArray diagonal(INDArray selfCovariance, long n, long positions) {
        INDArray pairs = selfCovariance.reshape(n, positions * positions);
        if (positions == 1) {
            return pairs.dup();     // ND4J M2.1 rejects the strided interval(0, 2, 1) on one column
        }
        return pairs.get(NDArrayIndex.all(), NDArrayIndex.interval(0, positions + 1, positions * positions)).dup();
    }

    private static INDArray first(INDArray diagonal, long n, long positions, INDArray like) {
        return diagonal.reshape(n, 1, positions, 1).broadcast(n, 1, positions, positions).reshape(like.shape());
    }

    private static INDArray second(INDArray diagonal, long n, long positions, INDArray like) {
        return diagonal.reshape(n, 1, 1, positions).broadcast(n, 1, positions, positions).reshape(like.shape());
    }

    private static void checkLayout(KernelState state, boolean valid) {
        if (!valid) {
            throw new FrameworkException(SHAPE_MISMATCH, ("kernel state does not match its %s layout: nngp %s, var1 %s, "
                    + "var2 %s; expected spatial diagonal (nngp [n1, n2, S...], var [n, S...]) or spatial full (nngp "
                    + "[n1, n2, S..., S...], var [n, 1, S..., S...])").formatted(state.layout().name(),
                            Arrays.toString(state.nngp().shape()), Arrays.toString(state.var1().shape()),
                            Arrays.toString(state.var2().shape())));
        }
    }

    private static long[] concat(long[] a, long[] b) {
        long[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
