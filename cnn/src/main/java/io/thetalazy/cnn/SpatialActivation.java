package io.thetalazy.cnn;

import static io.thetalazy.core.error.ErrorCode.NON_FINITE_VALUE;
import static io.thetalazy.core.kernel.StateArrays.buffer;
import static io.thetalazy.core.kernel.StateArrays.plain;

import io.thetalazy.core.error.FrameworkException;
import io.thetalazy.core.kernel.GaussianDual;
import io.thetalazy.core.kernel.KernelState;
import java.nio.DoubleBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The activation rule (docs/theory.md#activations-and-gaussian-duals) on the spatial layouts of convolutional features,
 * in one streaming pass: Sigma and D of each entry together ({@link GaussianDual#both}) from the per-position
 * variances, without broadcast arrays, and every earlier component multiplied by D; the covariance and the components
 * are overwritten in place where the caller allows it and no other array of the state shares their memory, else written
 * to new arrays. Entries are computed by the same expressions as the array methods of the dual, so the results are
 * identical to the broadcast rule.
 *
 * <p>Layouts (S: the r spatial axes, P their product):
 * <ul>
 *   <li>diagonal: nngp [n1, n2, S...], var1 [n1, S...], var2 [n2, S...]; entry (a, b, p) takes
 *       c11 = var1[a, p], c22 = var2[b, p], and the variances become Sigma(v, v, v) entrywise;
 *   <li>full: nngp [n1, n2, S..., S...], var1 [n1, 1, S..., S...] and var2 [n2, 1, S..., S...] the self-covariances
 *       of each sample; entry (a, b, p, p') takes c11 = var1[a, 0, p, p], c22 = var2[b, 0, p', p'], and the
 *       self-covariances go through the same rule with both variances from one sample.
 * </ul>
 * Entries are streamed in chunks of whole rows of P entries, split across the cores; the working memory is a few
 * chunks per core.
 */
final class SpatialActivation {
    private SpatialActivation() {}

    /** Entries per chunk (about 32 KB per working array: six of them stay in the core's L2 cache). */
    private static final int CHUNK = 1 << 12;

    /** Whether this rule applies: a spatial layout of contiguous float64 arrays and a dual with a row form. */
    static boolean applies(GaussianDual dual, KernelState state) {
        if (!dual.hasRows() || !(state.layout() instanceof KernelLayout)) {
            return false;
        }
        Layout layout = Layout.of(state);
        if (layout == null || !plain(state.nngp()) || !plain(state.var1()) || !plain(state.var2())
                || state.nngp().length() > Integer.MAX_VALUE) {
            return false;
        }
        for (INDArray layer : state.layers()) {
            if (!Arrays.equals(layer.shape(), state.nngp().shape()) || !plain(layer)) {
                return false;
            }
        }
        return true;
    }

    /**
     * The new state: Sigma as NNGP, every component times D, the variances through the dual. Requires
     * {@link #applies}.
     * Arrays the state may overwrite are overwritten.
     */
    static KernelState apply(GaussianDual dual, KernelState state) {
        Layout layout = Layout.of(state);
        double[] var1 = doubles(state.var1());
        double[] var2 = state.var2() == state.var1() ? var1 : doubles(state.var2());
        double[] d1 = layout.variances(var1, layout.n1);
        double[] d2 = var2 == var1 ? d1 : layout.variances(var2, layout.n2);
        checkVariances(d1, layout, "x1");
        checkVariances(d2, layout, "x2");
        Map<INDArray, INDArray> targets = new IdentityHashMap<>();
        INDArray nngp = state.nngp();
        INDArray sigma = state.mayOverwrite(nngp) ? nngp : Nd4j.createUninitialized(DataType.DOUBLE, nngp.shape());
        List<INDArray> sources = new ArrayList<>();
        for (INDArray layer : state.layers()) {
            if (!targets.containsKey(layer)) {
                targets.put(layer, state.mayOverwrite(layer) ? layer
                        : Nd4j.createUninitialized(DataType.DOUBLE, layer.shape()));
                sources.add(layer);
            }
        }
        List<DoubleBuffer[]> components = new ArrayList<>();
        for (INDArray source : sources) {
            components.add(new DoubleBuffer[] {buffer(source), buffer(targets.get(source))});
        }
        run(dual, layout, d1, d2, false, buffer(nngp), buffer(sigma), components);
        INDArray newVar1 = Nd4j.createUninitialized(DataType.DOUBLE, state.var1().shape());
        run(dual, layout, d1, d1, true, buffer(state.var1()), buffer(newVar1), List.of());
        INDArray newVar2 = newVar1;
        if (state.var2() != state.var1()) {
            newVar2 = Nd4j.createUninitialized(DataType.DOUBLE, state.var2().shape());
            run(dual, layout, d2, d2, true, buffer(state.var2()), buffer(newVar2), List.of());
        }
        List<INDArray> layers = new ArrayList<>();
        for (INDArray layer : state.layers()) {
            layers.add(targets.get(layer));
        }
        return state.derive(sigma, newVar1, newVar2, layers, false, false);
    }

    /**
     * One pass over the entries of units (pairs (a, b) of x1 and x2 rows, or single samples a with both variances
     * from it when {@code self}): Sigma into sigmaOut and, for each component (source, target), source times D.
     */
    private static void run(GaussianDual dual, Layout layout, double[] left, double[] right, boolean self,
            DoubleBuffer covariance, DoubleBuffer sigmaOut, List<DoubleBuffer[]> components) {
        int p = layout.positions;
        int rowsPerUnit = layout.full ? p : 1;
        long units = self ? left.length / p : (long) layout.n1 * layout.n2;
        int n2 = self ? 1 : layout.n2;
        long rows = units * rowsPerUnit;
        int chunkRows = Math.max(1, CHUNK / p);
        long chunks = (rows + chunkRows - 1) / chunkRows;
        int cores = Runtime.getRuntime().availableProcessors();
        int tasks = (int) Math.max(1, Math.min(4L * cores, chunks));
        AtomicReference<String> failure = new AtomicReference<>();
        IntStream.range(0, tasks).parallel().forEach(task -> {
            long firstChunk = chunks * task / tasks;
            long lastChunk = chunks * (task + 1) / tasks;
            int capacity = chunkRows * p;
            double[] c11 = new double[capacity];
            double[] c22 = new double[capacity];
            double[] c12 = new double[capacity];
            double[] s = new double[capacity];
            double[] d = new double[capacity];
            double[] row = new double[capacity];
            for (long chunk = firstChunk; chunk < lastChunk && failure.get() == null; chunk++) {
                long r0 = chunk * chunkRows;
                long r1 = Math.min(rows, r0 + chunkRows);
                int length = (int) ((r1 - r0) * p);
                for (long r = r0; r < r1; r++) {
                    long unit = r / rowsPerUnit;
                    int t = (int) (r % rowsPerUnit);
                    int a = (int) (self ? unit : unit / n2);
                    int b = (int) (self ? unit : unit % n2);
                    int offset = (int) ((r - r0) * p);
                    if (layout.full) {
                        Arrays.fill(c11, offset, offset + p, left[a * p + t]);
                    } else {
                        System.arraycopy(left, a * p, c11, offset, p);
                    }
                    System.arraycopy(right, b * p, c22, offset, p);
                }
                int start = (int) (r0 * p);
                covariance.get(start, c12, 0, length);
                for (int k = 0; k < length; k++) {
                    if (!Double.isFinite(c12[k])) {
                        failure.compareAndSet(null, "the activation rule needs finite covariances, found %s at entry %s"
                                .formatted(c12[k], layout.entry(start + k, self)));
                        return;
                    }
                }
                dual.both(c11, c22, c12, s, d, 0, length);
                for (int k = 0; k < length; k++) {
                    if (!Double.isFinite(s[k]) || !Double.isFinite(d[k])) {
                        failure.compareAndSet(null, ("Sigma or D of the dual is %s, %s at entry %s (c11 = %s, c22 = %s, "
                                + "c12 = %s)").formatted(s[k], d[k], layout.entry(start + k, self), c11[k], c22[k],
                                        c12[k]));
                        return;
                    }
                }
                sigmaOut.put(start, s, 0, length);
                for (DoubleBuffer[] component : components) {
                    component[0].get(start, row, 0, length);
                    for (int k = 0; k < length; k++) {
                        row[k] *= d[k];
                    }
                    component[1].put(start, row, 0, length);
                }
            }
        });
        if (failure.get() != null) {
            throw new FrameworkException(NON_FINITE_VALUE, failure.get());
        }
    }

    private static void checkVariances(double[] variances, Layout layout, String which) {
        for (int k = 0; k < variances.length; k++) {
            if (!Double.isFinite(variances[k]) || variances[k] < 0) {
                throw new FrameworkException(NON_FINITE_VALUE, ("the activation rule needs finite non-negative "
                        + "variances, found %s for sample %d of %s at position %d").formatted(variances[k],
                                k / layout.positions, which, k % layout.positions));
            }
        }
    }

    /** The layout of a spatial state (null when the state is not spatial). */
    private record Layout(int n1, int n2, int positions, boolean full, long[] shape) {
        static Layout of(KernelState state) {
            long[] shape = state.nngp().shape();
            int rank = shape.length;
            long[] shape1 = state.var1().shape();
            long[] shape2 = state.var2().shape();
            if (rank < 3 || shape[0] > Integer.MAX_VALUE || shape[1] > Integer.MAX_VALUE) {
                return null;
            }
            long[] rest = Arrays.copyOfRange(shape, 2, rank);
            if (shape1.length == rank - 1) {
                if (!Arrays.equals(shape1, prepend(rest, shape[0])) || !Arrays.equals(shape2, prepend(rest, shape[1]))) {
                    return null;
                }
                return new Layout((int) shape[0], (int) shape[1], positions(rest), false, shape);
            }
            if (shape1.length != rank || rank < 4 || rank % 2 != 0) {
                return null;
            }
            int r = (rank - 2) / 2;
            long[] spatial = Arrays.copyOfRange(shape, 2, 2 + r);
            if (!Arrays.equals(Arrays.copyOfRange(shape, 2 + r, rank), spatial)) {
                return null;
            }
            long[] half = new long[rest.length + 1];
            half[0] = 1;
            System.arraycopy(rest, 0, half, 1, rest.length);
            if (!Arrays.equals(shape1, prepend(half, shape[0])) || !Arrays.equals(shape2, prepend(half, shape[1]))) {
                return null;
            }
            return new Layout((int) shape[0], (int) shape[1], positions(spatial), true, shape);
        }

        /** The variance of each sample at each position, [n P]: the variances, or the self-covariances' diagonals. */
        double[] variances(double[] var, int n) {
            if (!full) {
                return var;
            }
            double[] diagonal = new double[n * positions];
            for (int a = 0; a < n; a++) {
                for (int p = 0; p < positions; p++) {
                    diagonal[a * positions + p] = var[(a * positions + p) * positions + p];
                }
            }
            return diagonal;
        }

        /** The multi-index of a flat entry of the covariance (or of a variance array when self), as text. */
        String entry(long flat, boolean self) {
            long[] rest = Arrays.copyOfRange(shape, 2, shape.length);
            long[] dims = !self ? shape : full ? prepend(prepend(rest, 1), 0) : prepend(rest, 0);
            long[] index = new long[dims.length];
            for (int axis = dims.length - 1; axis > 0; axis--) {
                index[axis] = flat % dims[axis];
                flat /= dims[axis];
            }
            index[0] = flat;
            return Arrays.toString(index);
        }

        private static int positions(long[] spatial) {
            long p = 1;
            for (long size : spatial) {
                p *= size;
            }
            return Math.toIntExact(p);
        }

        private static long[] prepend(long[] rest, long first) {
            long[] all = new long[rest.length + 1];
            all[0] = first;
            System.arraycopy(rest, 0, all, 1, rest.length);
            return all;
        }
    }

    private static double[] doubles(INDArray array) {
        double[] values = array.data().asDouble();
        return values.length == array.length() ? values : Arrays.copyOf(values, (int) array.length());
    }
}
