package io.thetalazy.core.kernel;

import static io.thetalazy.core.error.ErrorCode.NON_FINITE_VALUE;

import io.thetalazy.core.error.FrameworkException;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.IntStream;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The activation rule (DESIGN 1.3) on the dense layout in one pass over the covariance, tile by tile: for each row of a
 * tile it computes Sigma and D together ({@link GaussianDual#rows}, with the square roots of the variances taken once
 * per row and column) and multiplies every earlier component's entries by D, in place where the caller may overwrite
 * the component and into a new array otherwise. On a symmetric state ({@link KernelState#symmetric}) only the tiles on
 * and above the diagonal are computed and each is also written transposed below it, which halves the work and keeps
 * the results exactly symmetric. Tiles are split across the cores; every entry is computed by the same expressions as
 * the array methods, so the results are identical (below the diagonal of a symmetric state: identical to the entry
 * above it, which the array methods compute with c11 and c22 swapped; equal for every dual whose expressions are
 * symmetric in them, within an ulp or so for erf's D).
 */
public final class DenseActivation {
    private DenseActivation() {}

    /** Whether the fused path applies: dense layout, contiguous float64 arrays, a dual with a row form. */
    public static boolean applies(GaussianDual dual, KernelState state) {
        if (!dual.hasRows() || state.nngp().rank() != 2 || state.var1().rank() != 1 || state.var2().rank() != 1) {
            return false;
        }
        long n1 = state.nngp().size(0);
        long n2 = state.nngp().size(1);
        if (n1 == 0 || n2 == 0 || state.var1().length() != n1 || state.var2().length() != n2
                || n1 * n2 > Integer.MAX_VALUE) {
            return false;
        }
        for (INDArray layer : state.layers()) {
            if (!Arrays.equals(layer.shape(), state.nngp().shape()) || !plain(layer)) {
                return false;
            }
        }
        return plain(state.nngp()) && finiteVariances(state);
    }

    /**
     * The new state: Sigma as NNGP, components times D, variances through the dual. Requires {@link #applies}.
     *
     * @param writable the components that may be overwritten
     */
    public static KernelState apply(GaussianDual dual, KernelState state, Predicate<INDArray> writable) {
        INDArray nngp = state.nngp();
        int n1 = (int) nngp.size(0);
        int n2 = (int) nngp.size(1);
        boolean symmetric = state.symmetric() && n1 == n2;
        double[] var1 = state.var1().castTo(DataType.DOUBLE).dup().data().asDouble();
        double[] var2 = state.var2().castTo(DataType.DOUBLE).dup().data().asDouble();
        double[] root1 = roots(var1);
        double[] root2 = roots(var2);
        // distinct components (one array may appear twice), each scaled once: in place or into a new array
        Map<INDArray, INDArray> targets = new IdentityHashMap<>();
        List<INDArray> sources = new ArrayList<>();
        List<INDArray> outputs = new ArrayList<>();
        for (INDArray layer : state.layers()) {
            if (!targets.containsKey(layer)) {
                INDArray target = writable.test(layer) ? layer : Nd4j.createUninitialized(DataType.DOUBLE, n1, n2);
                targets.put(layer, target);
                sources.add(layer);
                outputs.add(target);
            }
        }
        INDArray sigma = Nd4j.createUninitialized(DataType.DOUBLE, n1, n2);
        DoubleBuffer covariance = buffer(nngp);
        DoubleBuffer sigmaOut = buffer(sigma);
        List<DoubleBuffer> in = new ArrayList<>();
        List<DoubleBuffer> out = new ArrayList<>();
        for (int k = 0; k < sources.size(); k++) {
            in.add(buffer(sources.get(k)));
            out.add(buffer(outputs.get(k)));
        }
        // A tile reads only its own entries of the covariance and the components, all of them before it writes them,
        // and writes below the diagonal only where no tile reads: so a component may be the covariance itself.
        int[][] tiles = UpperTriangle.tiles(n1, n2, symmetric);
        int cores = Runtime.getRuntime().availableProcessors();
        int tasks = Math.max(1, Math.min(cores * 8, tiles.length));
        List<String> failures = Collections.synchronizedList(new ArrayList<>());
        IntStream.range(0, tasks).parallel().forEach(task -> {
            int tile = UpperTriangle.TILE;
            GaussianDual.Rows rows = dual.rows();
            double[][] c12 = new double[tile][tile];
            double[][] s = new double[tile][tile];
            double[][] d = new double[tile][tile];
            double[][] scaled = new double[tile][tile];
            double[] c22 = new double[tile];
            double[] root22 = new double[tile];
            int to = (int) ((long) tiles.length * (task + 1) / tasks);
            for (int t = (int) ((long) tiles.length * task / tasks); t < to; t++) {
                int i0 = tiles[t][0] * tile;
                int j0 = tiles[t][1] * tile;
                int h = Math.min(tile, n1 - i0);
                int w = Math.min(tile, n2 - j0);
                System.arraycopy(var2, j0, c22, 0, w);
                System.arraycopy(root2, j0, root22, 0, w);
                for (int r = 0; r < h; r++) {
                    int i = i0 + r;
                    int from = symmetric && i0 == j0 ? r : 0;     // a diagonal tile: its upper triangle
                    covariance.get(i * n2 + j0 + from, c12[r], from, w - from);
                    rows.both(var1[i], root1[i], c22, root22, c12[r], s[r], d[r], from, w);
                    if (!finite(c12[r], s[r], d[r], from, w)) {
                        failures.add(failure(c12[r], s[r], d[r], from, w, i, j0, var1[i], c22));
                        return;
                    }
                    sigmaOut.put(i * n2 + j0 + from, s[r], from, w - from);
                }
                if (symmetric) {
                    UpperTriangle.writeTransposed(sigmaOut, n2, s, i0, h, j0, w);
                }
                for (int k = 0; k < in.size(); k++) {
                    DoubleBuffer source = in.get(k);
                    DoubleBuffer target = out.get(k);
                    for (int r = 0; r < h; r++) {
                        int from = symmetric && i0 == j0 ? r : 0;
                        int offset = (i0 + r) * n2 + j0 + from;
                        double[] row = scaled[r];
                        double[] factor = d[r];
                        source.get(offset, row, from, w - from);
                        for (int c = from; c < w; c++) {
                            row[c] *= factor[c];
                        }
                        target.put(offset, row, from, w - from);
                    }
                    if (symmetric) {
                        UpperTriangle.writeTransposed(target, n2, scaled, i0, h, j0, w);
                    }
                }
            }
        });
        if (!failures.isEmpty()) {
            throw new FrameworkException(NON_FINITE_VALUE, failures.get(0));
        }
        List<INDArray> layers = new ArrayList<>();
        for (INDArray layer : state.layers()) {
            layers.add(targets.get(layer));
        }
        INDArray newVar1 = dual.sigma(state.var1(), state.var1(), state.var1());
        INDArray newVar2 = symmetric ? newVar1.dup() : dual.sigma(state.var2(), state.var2(), state.var2());
        return new KernelState(sigma, newVar1, newVar2, layers, symmetric);
    }

    /** Whether c12, Sigma and D are finite on [from, to): one test per row, no branch per entry. */
    private static boolean finite(double[] c12, double[] sigma, double[] derivative, int from, int to) {
        boolean finite = true;
        for (int c = from; c < to; c++) {
            finite &= Double.isFinite(c12[c]) & Double.isFinite(sigma[c]) & Double.isFinite(derivative[c]);
        }
        return finite;
    }

    /** The message for the first non-finite entry of a row that failed {@link #finite}. */
    private static String failure(double[] c12, double[] sigma, double[] derivative, int from, int to, int i, int j0,
            double c11, double[] c22) {
        for (int c = from; c < to; c++) {
            if (!Double.isFinite(c12[c])) {
                return "the dual needs finite covariances, found c11 = %s, c22 = %s, c12 = %s at entry [%d, %d]"
                        .formatted(c11, c22[c], c12[c], i, j0 + c);
            }
            if (!Double.isFinite(sigma[c]) || !Double.isFinite(derivative[c])) {
                return "Sigma or D of the dual is %s, %s at entry [%d, %d] (c11 = %s, c22 = %s, c12 = %s)"
                        .formatted(sigma[c], derivative[c], i, j0 + c, c11, c22[c], c12[c]);
            }
        }
        throw new IllegalStateException("no failure in the row");
    }

    private static double[] roots(double[] variances) {
        double[] roots = new double[variances.length];
        for (int i = 0; i < roots.length; i++) {
            roots[i] = Math.sqrt(variances[i]);
        }
        return roots;
    }

    private static boolean plain(INDArray array) {
        return array.dataType() == DataType.DOUBLE && array.ordering() == 'c' && array.offset() == 0
                && array.data().length() == array.length()
                && Arrays.equals(array.stride(), Nd4j.getStrides(array.shape(), 'c'));
    }

    /** Finite non-negative variances (else the array path reports the entry); covariances are checked in the pass. */
    private static boolean finiteVariances(KernelState state) {
        for (INDArray v : List.of(state.var1(), state.var2())) {
            for (double x : v.castTo(DataType.DOUBLE).dup().data().asDouble()) {
                if (!Double.isFinite(x) || x < 0) {
                    return false;
                }
            }
        }
        return true;
    }

    private static DoubleBuffer buffer(INDArray array) {
        return array.data().asNio().order(ByteOrder.nativeOrder()).asDoubleBuffer();
    }
}
