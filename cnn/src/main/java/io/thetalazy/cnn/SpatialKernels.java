package io.thetalazy.cnn;

import static io.thetalazy.core.error.ErrorCode.INSUFFICIENT_MEMORY;
import static io.thetalazy.core.error.ErrorCode.SHAPE_MISMATCH;

import io.thetalazy.core.error.FrameworkException;
import io.thetalazy.core.kernel.KernelFootprint;
import io.thetalazy.core.kernel.KernelMemory;
import io.thetalazy.core.kernel.KernelState;
import io.thetalazy.core.kernel.StateArrays;
import java.nio.DoubleBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.BiFunction;
import java.util.stream.IntStream;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Spatial kernel states ({@link KernelLayout}): the input state, layout detection, memory checks, mapping. */
final class SpatialKernels {
    private SpatialKernels() {}

    /**
     * Arrays of the state's size alive at once besides the components in the streamed rules ({@link WindowSums},
     * {@code SpatialActivation}): the covariance, the new component and one spare.
     */
    static final int STREAMED_ARRAYS = 3;
    /** Arrays the broadcast activation rule adds (duals without a row form): c11, c22, Sigma and D. */
    static final int BROADCAST_ARRAYS = 4;

    /**
     * The memory of a spatial limit per input pair: the state's arrays alive at once, of P (diagonal) or P^2 (full)
     * doubles each, P the input positions (layers only shrink them). The streamed rules keep L + 3 arrays when the
     * convolutions keep the spatial size (overwriting in place), 2 L + 3 when they shrink it; duals without a row form
     * add {@link #BROADCAST_ARRAYS} and four arrays on the Java heap.
     *
     * @param rows whether the activation's dual has a row form ({@code GaussianDual#hasRows})
     * @param inPlace whether every convolution keeps the spatial size (SAME padding, stride 1)
     */
    static KernelFootprint footprint(long positions, KernelLayout layout, int depth, boolean rows, boolean inPlace) {
        double entries = layout == KernelLayout.FULL ? (double) positions * positions : positions;
        int arrays = (inPlace ? depth : 2 * depth) + STREAMED_ARRAYS + (rows ? 0 : BROADCAST_ARRAYS);
        double heap = rows ? 0 : KernelFootprint.ENTRYWISE_HEAP_ARRAYS * entries * Double.BYTES;
        String advice = "raise the memory limits (-Xmx, -Dorg.bytedeco.javacpp.maxphysicalbytes; bin/thetalazy reads "
                + "THETALAZY_JAVA_OPTS)" + (layout == KernelLayout.FULL
                        ? ", or use the flatten readout, whose diagonal state is P times smaller" : "");
        return new KernelFootprint(arrays * entries * Double.BYTES, 4 * entries * Double.BYTES, heap, advice);
    }

    /** The layout of a spatial state; fails with SHAPE_MISMATCH for a state of another layout. */
    static KernelLayout layout(KernelState state, String layer) {
        if (state.layout() instanceof KernelLayout spatial) {
            return spatial;
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
        // linear maps keep the features Gaussian
        return state.derive(f.apply(state.nngp(), 2), f.apply(state.var1(), leading), f.apply(state.var2(), leading),
                layers, false, state.gaussian());
    }

    /**
     * The input state Sigma^(0)(x, x')_{p, p'} = (1/C) sum_c x_c(p) x'_c(p'): the per-position analogue of x.x'/d,
     * so that a first convolution with fan-in C q sees (1/q) sum_j Sigma^(0) over its window [ADH+]. Fails with
     * INSUFFICIENT_MEMORY when the footprint of the whole limit does not fit in the memory available now.
     *
     * @param x1 [n1, C, S...]
     * @param x2 [n2, C, S...]
     * @param footprint the memory the limit needs per pair
     */
    static KernelState inputState(INDArray x1, INDArray x2, KernelLayout layout, KernelFootprint footprint) {
        checkInputs(x1, x2);
        checkMemory(x1.size(0), x2.size(0), positions(x1), layout, footprint, KernelMemory.ofProcess());
        return inputState(x1, x2, layout);
    }

    /**
     * The input state without a memory check (the caller has sized x1 and x2 to fit), written pair by pair in one
     * pass. The variances are the same sums as the covariance's, so for x2 = x1 they equal its diagonal exactly.
     */
    static KernelState inputState(INDArray x1, INDArray x2, KernelLayout layout) {
        checkInputs(x1, x2);
        int n1 = Math.toIntExact(x1.size(0));
        int n2 = Math.toIntExact(x2.size(0));
        int channels = Math.toIntExact(x1.size(1));
        long[] spatial = Arrays.copyOfRange(x1.shape(), 2, x1.rank());
        int positions = Math.toIntExact(positions(x1));
        double[] a = x1.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        double[] b = x2 == x1 ? a : x2.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        boolean full = layout == KernelLayout.FULL;
        long[] half = full ? concat(spatial, spatial) : spatial;
        long[] varLeading = full ? new long[] {1} : new long[0];
        INDArray nngp = Nd4j.createUninitialized(DataType.DOUBLE, concat(new long[] {n1, n2}, half));
        pairs(a, b, n2, n1 * (long) n2, false, channels, positions, full, nngp);
        INDArray var1 = Nd4j.createUninitialized(DataType.DOUBLE, concat(new long[] {n1}, concat(varLeading, half)));
        pairs(a, a, n1, n1, true, channels, positions, full, var1);
        INDArray var2;
        if (b == a) {
            var2 = var1.dup();
        } else {
            var2 = Nd4j.createUninitialized(DataType.DOUBLE, concat(new long[] {n2}, concat(varLeading, half)));
            pairs(b, b, n2, n2, true, channels, positions, full, var2);
        }
        return new KernelState(nngp, var1, var2, List.of(), false, false, layout);
    }

    /**
     * Writes (1/C) sum_c u_c(p) v_c(p') for p' = p (diagonal) or every p' (full) into out, one block per unit: the
     * pairs (a, b) of rows of u and v (unit a nv + b), or (a, a) when {@code self}. u and v are [n, C, P] as flat
     * c-order doubles.
     */
    private static void pairs(double[] u, double[] v, int nv, long units, boolean self, int channels, int positions,
            boolean full, INDArray out) {
        int entries = full ? positions * positions : positions;
        DoubleBuffer target = StateArrays.buffer(out);
        int cores = Runtime.getRuntime().availableProcessors();
        int tasks = (int) Math.max(1, Math.min(4L * cores, units));
        IntStream.range(0, tasks).parallel().forEach(task -> {
            double[] block = new double[entries];
            long to = units * (task + 1) / tasks;
            for (long unit = units * task / tasks; unit < to; unit++) {
                int a = (int) (self ? unit : unit / nv);
                int b = (int) (self ? unit : unit % nv);
                Arrays.fill(block, 0);
                for (int c = 0; c < channels; c++) {
                    int rowA = (a * channels + c) * positions;
                    int rowB = (b * channels + c) * positions;
                    if (full) {
                        for (int p = 0; p < positions; p++) {
                            double x = u[rowA + p];
                            int base = p * positions;
                            for (int q = 0; q < positions; q++) {
                                block[base + q] += x * v[rowB + q];
                            }
                        }
                    } else {
                        for (int p = 0; p < positions; p++) {
                            block[p] += u[rowA + p] * v[rowB + p];
                        }
                    }
                }
                for (int k = 0; k < entries; k++) {
                    block[k] /= channels;
                }
                target.put(Math.toIntExact(unit * entries), block, 0, entries);
            }
        });
    }

    private static void checkInputs(INDArray x1, INDArray x2) {
        if (x1.rank() < 3 || x1.rank() > 4 || !Arrays.equals(Arrays.copyOfRange(x1.shape(), 1, x1.rank()),
                Arrays.copyOfRange(x2.shape(), 1, x2.rank()))) {
            throw new FrameworkException(SHAPE_MISMATCH, "cnn kernel inputs must be [n1, C, W] and [n2, C, W] or "
                    + "[n1, C, H, W] and [n2, C, H, W], found %s and %s".formatted(Arrays.toString(x1.shape()),
                            Arrays.toString(x2.shape())));
        }
    }

    /** P: the number of positions of inputs [n, C, S...]. */
    static long positions(INDArray x) {
        long positions = 1;
        for (int d = 2; d < x.rank(); d++) {
            positions *= x.size(d);
        }
        return positions;
    }

    /** Refuses, before allocating, a limit of n1 x n2 pairs whose footprint does not fit in the memory available. */
    static void checkMemory(long n1, long n2, long positions, KernelLayout layout, KernelFootprint footprint,
            KernelMemory memory) {
        double needed = footprint.offHeapBytes(n1, n2);
        double heapNeeded = footprint.heapBytes(n1, n2);
        if (needed > memory.offHeapBytes() || heapNeeded > memory.heapBytes()) {
            double entries = (double) n1 * n2 * positions * (layout == KernelLayout.FULL ? positions : 1);
            throw new FrameworkException(INSUFFICIENT_MEMORY, ("the %s spatial kernel state for %d x %d inputs with %d "
                    + "positions (%.0f doubles per array) needs about %s, but only %s %s available (%s); compute the "
                    + "limit with Network.limit, which splits x1 and x2 into blocks that fit, or %s").formatted(
                            layout.name().toLowerCase(Locale.ROOT), n1, n2, positions, entries, heapNeeded > 0
                                    ? "%s of native memory and %s of Java heap".formatted(KernelMemory.format(needed),
                                            KernelMemory.format(heapNeeded)) : KernelMemory.format(needed),
                            heapNeeded > 0 ? "%s and %s".formatted(KernelMemory.format(memory.offHeapBytes()),
                                    KernelMemory.format(memory.heapBytes())) : KernelMemory.format(memory.offHeapBytes()),
                            heapNeeded > 0 ? "are" : "is",
                            memory.description(), footprint.advice()));
        }
    }

    static long[] concat(long[] a, long[] b) {
        long[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
