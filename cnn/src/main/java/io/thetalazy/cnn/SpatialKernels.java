package io.thetalazy.cnn;

import static io.thetalazy.core.error.ErrorCode.INSUFFICIENT_MEMORY;
import static io.thetalazy.core.error.ErrorCode.SHAPE_MISMATCH;

import io.thetalazy.core.error.FrameworkException;
import io.thetalazy.core.kernel.KernelState;
import io.thetalazy.core.layer.Products;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiFunction;
import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Spatial kernel states ({@link KernelLayout}): the input state, layout detection, memory checks, mapping. */
final class SpatialKernels {
    private SpatialKernels() {}

    /** Arrays of the state's size alive at once besides the components: nngp, c11, c22, sigma, D, a padded copy. */
    static final int WORKING_ARRAYS = 6;

    /** The layout of a spatial state; fails with SHAPE_MISMATCH for dense or unrecognized states. */
    static KernelLayout layout(KernelState state, String layer) {
        int rank = state.nngp().rank();
        int varRank = state.var1().rank();
        if (rank >= 3 && varRank == rank - 1) {
            return KernelLayout.DIAGONAL;
        }
        if (rank >= 4 && rank % 2 == 0 && varRank == rank && state.var1().size(1) == 1) {
            return KernelLayout.FULL;
        }
        throw new FrameworkException(SHAPE_MISMATCH, ("%s needs a spatial kernel state (nngp [n1, n2, S...] with var "
                + "[n, S...], or nngp [n1, n2, S..., S...] with var [n, 1, S..., S...]), found nngp %s, var1 %s")
                .formatted(layer, Arrays.toString(state.nngp().shape()), Arrays.toString(state.var1().shape())));
    }

    /** The spatial shape S of a spatial state. */
    static int[] spatialShape(KernelState state, KernelLayout layout) {
        int rank = state.nngp().rank();
        int r = switch (layout) {
            case DIAGONAL -> rank - 2;
            case FULL -> (rank - 2) / 2;
        };
        int[] shape = new int[r];
        for (int d = 0; d < r; d++) {
            shape[d] = Math.toIntExact(state.nngp().size(2 + d));
        }
        return shape;
    }

    /** Leading (non-spatial) axes of var1 and var2 in a layout: [n] or [n, 1]. */
    static int varLeading(KernelLayout layout) {
        return switch (layout) {
            case DIAGONAL -> 1;
            case FULL -> 2;
        };
    }

    static int halves(KernelLayout layout) {
        return switch (layout) {
            case DIAGONAL -> 1;
            case FULL -> 2;
        };
    }

    /**
     * The state with {@code f(array, leadingAxes)} applied to the nngp, each component (2 leading axes) and the
     * variances ({@link #varLeading} leading axes).
     */
    static KernelState map(KernelState state, KernelLayout layout, BiFunction<INDArray, Integer, INDArray> f) {
        List<INDArray> layers = new ArrayList<>();
        for (INDArray component : state.layers()) {
            layers.add(f.apply(component, 2));
        }
        int leading = varLeading(layout);
        return new KernelState(f.apply(state.nngp(), 2), f.apply(state.var1(), leading), f.apply(state.var2(), leading),
                layers);
    }

    /**
     * The input state Sigma^(0)(x, x')_{p, p'} = (1/C) sum_c x_c(p) x'_c(p'): the per-position analogue of x.x'/d,
     * so that a first convolution with fan-in C q sees (1/q) sum_j Sigma^(0) over its window [ADH+].
     *
     * @param x1 [n1, C, S...]
     * @param x2 [n2, C, S...]
     * @param liveArrays arrays of the state's size alive at once, for the memory estimate
     */
    static KernelState inputState(INDArray x1, INDArray x2, KernelLayout layout, int liveArrays) {
        if (x1.rank() < 3 || x1.rank() > 4 || !Arrays.equals(Arrays.copyOfRange(x1.shape(), 1, x1.rank()),
                Arrays.copyOfRange(x2.shape(), 1, x2.rank()))) {
            throw new FrameworkException(SHAPE_MISMATCH, "cnn kernel inputs must be [n1, C, W] and [n2, C, W] or "
                    + "[n1, C, H, W] and [n2, C, H, W], found %s and %s".formatted(Arrays.toString(x1.shape()),
                            Arrays.toString(x2.shape())));
        }
        long n1 = x1.size(0);
        long n2 = x2.size(0);
        long channels = x1.size(1);
        long[] spatial = Arrays.copyOfRange(x1.shape(), 2, x1.rank());
        long positions = 1;
        for (long size : spatial) {
            positions *= size;
        }
        checkMemory(n1, n2, positions, layout, liveArrays);
        INDArray a = x1.dup('c').reshape(n1, channels, positions);
        INDArray b = x2.dup('c').reshape(n2, channels, positions);
        return switch (layout) {
            case DIAGONAL -> {
                INDArray perPosition = Nd4j.matmul(a.permute(2, 0, 1).dup('c'), b.permute(2, 1, 0).dup('c'));
                INDArray nngp = perPosition.permute(1, 2, 0).dup('c').reshape(concat(new long[] {n1, n2}, spatial))
                        .divi(channels);
                INDArray var1 = a.mul(a).sum(1).divi(channels).reshape(concat(new long[] {n1}, spatial));
                INDArray var2 = b.mul(b).sum(1).divi(channels).reshape(concat(new long[] {n2}, spatial));
                yield new KernelState(nngp, var1, var2, List.of());
            }
            case FULL -> {
                INDArray rows1 = a.permute(0, 2, 1).dup('c').reshape(n1 * positions, channels);
                INDArray rows2 = b.permute(0, 2, 1).dup('c').reshape(n2 * positions, channels);
                INDArray nngp = Products.rowGram(rows1, rows2, 1.0).reshape(n1, positions, n2, positions).permute(0, 2, 1, 3)
                        .dup('c').reshape(concat(new long[] {n1, n2}, concat(spatial, spatial))).divi(channels);
                yield new KernelState(nngp, selfCovariance(a, spatial), selfCovariance(b, spatial), List.of());
            }
        };
    }

    /** [n, 1, S..., S...]: (1/C) sum_c x_c(p) x_c(p') for each sample. */
    private static INDArray selfCovariance(INDArray x, long[] spatial) {
        long n = x.size(0);
        INDArray perSample = Nd4j.matmul(x.permute(0, 2, 1).dup('c'), x);
        return perSample.reshape(concat(new long[] {n, 1}, concat(spatial, spatial))).divi(x.size(1));
    }

    /**
     * Refuses, before allocating, a state that would not fit: liveArrays arrays of n1 n2 P (diagonal) or n1 n2 P^2
     * (full) doubles against the memory ND4J may still allocate.
     */
    static void checkMemory(long n1, long n2, long positions, KernelLayout layout, int liveArrays) {
        double entries = (double) n1 * n2 * positions * (layout == KernelLayout.FULL ? positions : 1);
        double needed = entries * Double.BYTES * liveArrays;
        long available = availableBytes();
        if (needed > available) {
            throw new FrameworkException(INSUFFICIENT_MEMORY, ("the %s spatial kernel state for %d x %d inputs with %d "
                    + "positions needs about %s (%d arrays of %.0f doubles), but only %s is available; tile x1 and x2 "
                    + "into blocks of fewer samples (kernel blocks are independent)%s").formatted(
                            layout.name().toLowerCase(java.util.Locale.ROOT), n1, n2, positions, gibibytes(needed),
                            liveArrays, entries, gibibytes(available), layout == KernelLayout.FULL
                                    ? ", or use the flatten readout, whose diagonal state is P times smaller" : ""));
        }
        // the Gaussian duals work entrywise on Java arrays: four arrays of the state's size must fit in the heap
        double heapNeeded = entries * Double.BYTES * 4;
        Runtime runtime = Runtime.getRuntime();
        long heapAvailable = runtime.maxMemory() - (runtime.totalMemory() - runtime.freeMemory());
        if (entries > Integer.MAX_VALUE - 8 || heapNeeded > heapAvailable) {
            throw new FrameworkException(INSUFFICIENT_MEMORY, ("the %s spatial kernel state for %d x %d inputs with %d "
                    + "positions has %.0f entries per array; its activation rule needs about %s of Java heap, %s is "
                    + "free (-Xmx; bin/thetalazy reads THETALAZY_JAVA_OPTS); tile x1 and x2 into blocks of fewer "
                    + "samples%s").formatted(layout.name().toLowerCase(java.util.Locale.ROOT), n1, n2, positions,
                            entries, gibibytes(heapNeeded), gibibytes(heapAvailable), layout == KernelLayout.FULL
                                    ? ", or use the flatten readout, whose diagonal state is P times smaller" : ""));
        }
    }

    /** What ND4J may still allocate off-heap: the smaller of JavaCPP's remaining caps and the free physical memory. */
    static long availableBytes() {
        long available = Pointer.availablePhysicalBytes();
        if (available <= 0) {
            available = Long.MAX_VALUE;
        }
        if (Pointer.maxBytes() > 0) {
            available = Math.min(available, Pointer.maxBytes() - Pointer.totalBytes());
        }
        if (Pointer.maxPhysicalBytes() > 0) {
            available = Math.min(available, Pointer.maxPhysicalBytes() - Pointer.physicalBytes());
        }
        return Math.max(available, 0);
    }

    private static String gibibytes(double bytes) {
        return "%.3g GiB".formatted(bytes / (1L << 30));
    }

    static long[] concat(long[] a, long[] b) {
        long[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
