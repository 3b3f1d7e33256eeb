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
import java.util.stream.IntStream;
import org.bytedeco.javacpp.DoublePointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Consecutive dense-layout kernel rules ({@link DenseStep}s) in one pass over the entries, tile by tile: each tile of
 * the covariance and of the components is read once, taken through every step in the cache, and written once, instead
 * of one pass over every array per layer. The variances go through the steps first (vectors, by the layers' own
 * array expressions). On a symmetric state ({@link KernelState#symmetric}) only the tiles on and above the diagonal
 * are computed, each also written transposed below it. Every entry is computed by the same expressions, in the same
 * order, as the layers' own rules, so the results are identical (below the diagonal of a symmetric state: see
 * {@link DenseActivation}).
 */
public final class DenseChain {
    private DenseChain() {}

    /** Whether the pass applies: dense layout, contiguous float64 arrays, finite non-negative variances. */
    public static boolean applies(KernelState state) {
        if (state.layout() != StateLayout.DENSE) {
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
     * The state after the steps. Requires {@link #applies}. The outputs are new arrays, except the components and
     * the covariance the state owns: those are overwritten (each output written once). A tile reads its entries of
     * every input before it writes any, so an array the state holds in two roles (a component that is also the
     * covariance) may still be overwritten in one of them.
     */
    public static KernelState apply(List<DenseStep> steps, KernelState state) {
        INDArray nngp = state.nngp();
        int n1 = (int) nngp.size(0);
        int n2 = (int) nngp.size(1);
        boolean symmetric = state.symmetric() && n1 == n2;

        // the variances before each activation step, and after the last step
        List<double[]> vars1 = new ArrayList<>();
        List<double[]> vars2 = new ArrayList<>();
        INDArray var1 = state.var1();
        INDArray var2 = state.var2();
        for (DenseStep step : steps) {
            if (step instanceof DenseStep.Affine affine) {
                var1 = var1.mul(affine.gain()).addi(affine.biasVariance());
                var2 = var2.mul(affine.gain()).addi(affine.biasVariance());
            } else if (step instanceof DenseStep.Activation activation) {
                vars1.add(doubles(var1));
                vars2.add(doubles(var2));
                GaussianDual dual = activation.dual();
                INDArray next1 = dual.sigma(var1, var1, var1);
                var2 = symmetric ? next1.dup() : dual.sigma(var2, var2, var2);
                var1 = next1;
            }
        }

        // the outputs: the distinct earlier components (in place or new), one per new component, the covariance
        Map<INDArray, Integer> slots = new IdentityHashMap<>();
        List<INDArray> sources = new ArrayList<>();
        List<INDArray> outputs = new ArrayList<>();
        List<Integer> layerSlots = new ArrayList<>();
        for (INDArray layer : state.layers()) {
            Integer slot = slots.get(layer);
            if (slot == null) {
                slot = sources.size();
                slots.put(layer, slot);
                sources.add(layer);
                outputs.add(overwritable(state, layer) ? layer : null);
            }
            layerSlots.add(slot);
        }
        int earlier = sources.size();
        int added = 0;
        int identities = 0;
        for (DenseStep step : steps) {
            if (!(step instanceof DenseStep.Activation)) {
                added++;
            }
            identities = step instanceof DenseStep.Identity ? identities + 1 : 0;
        }
        int trailing = identities;  // identity steps after the last other step: the last one's component is C
        // the covariance's own array may take the first new output when nothing else holds its data
        boolean reuse = state.mayOverwrite(nngp);
        for (int k = 0; k < added; k++) {
            outputs.add(null);
        }
        int count = earlier + added + (trailing > 0 ? 0 : 1);   // with trailing identities C is the last component
        if (trailing == 0) {
            outputs.add(null);
        }
        for (int k = 0; k < count; k++) {
            if (outputs.get(k) == null) {
                outputs.set(k, reuse ? nngp : fresh(n1, n2));
                reuse = false;
            }
        }

        DoubleBuffer covariance = buffer(nngp);
        List<DoubleBuffer> in = new ArrayList<>();
        for (INDArray source : sources) {
            in.add(buffer(source));
        }
        List<DoubleBuffer> out = new ArrayList<>();
        for (INDArray output : outputs) {
            out.add(buffer(output));
        }
        int finalSlot = count - 1;      // the covariance after the steps: the last output
        int tile = count + 3 <= 6 ? 128 : 64;
        int[][] tiles = UpperTriangle.tiles(n1, n2, symmetric, tile);
        int cores = Runtime.getRuntime().availableProcessors();
        int tasks = Math.max(1, Math.min(cores * 8, tiles.length));
        List<String> failures = Collections.synchronizedList(new ArrayList<>());
        // A tile reads only its own entries of the covariance and the components, all of them before it writes any,
        // and writes below the diagonal only where no tile reads: so an output may be an input array.
        IntStream.range(0, tasks).parallel().forEach(task -> {
            List<GaussianDual.Rows> rows = new ArrayList<>();
            for (DenseStep step : steps) {
                if (step instanceof DenseStep.Activation activation) {
                    rows.add(activation.dual().rows());
                }
            }
            double[][][] blocks = new double[count][tile][tile];
            double[][] c = new double[tile][tile];
            double[][] s = new double[tile][tile];
            double[][] d = new double[tile][tile];
            double[] c22 = new double[tile];
            double[] root22 = new double[tile];
            int to = (int) ((long) tiles.length * (task + 1) / tasks);
            for (int t = (int) ((long) tiles.length * task / tasks); t < to; t++) {
                int i0 = tiles[t][0] * tile;
                int j0 = tiles[t][1] * tile;
                int h = Math.min(tile, n1 - i0);
                int w = Math.min(tile, n2 - j0);
                boolean diagonal = symmetric && i0 == j0;
                for (int r = 0; r < h; r++) {
                    int from = diagonal ? r : 0;
                    int offset = (i0 + r) * n2 + j0 + from;
                    covariance.get(offset, c[r], from, w - from);
                    for (int k = 0; k < earlier; k++) {
                        in.get(k).get(offset, blocks[k][r], from, w - from);
                    }
                }
                int next = earlier;
                int activations = 0;
                for (DenseStep step : steps) {
                    if (step instanceof DenseStep.Identity) {
                        copy(c, blocks[next], h, w, diagonal);
                        next++;
                    } else if (step instanceof DenseStep.Affine affine) {
                        affine(affine, c, blocks, next, h, w, diagonal);
                        next++;
                    } else {
                        double[] v1 = vars1.get(activations);
                        double[] v2 = vars2.get(activations);
                        GaussianDual.Rows dual = rows.get(activations);
                        activations++;
                        for (int j = 0; j < w; j++) {
                            c22[j] = v2[j0 + j];
                            root22[j] = Math.sqrt(c22[j]);
                        }
                        for (int r = 0; r < h; r++) {
                            int i = i0 + r;
                            int from = diagonal ? r : 0;
                            double c11 = v1[i];
                            dual.both(c11, Math.sqrt(c11), c22, root22, c[r], s[r], d[r], from, w);
                            if (!finite(c[r], s[r], d[r], from, w)) {
                                failures.add(failure(c[r], s[r], d[r], from, w, i, j0, c11, c22));
                                return;
                            }
                            double[] factor = d[r];
                            for (int k = 0; k < next; k++) {
                                double[] scaled = blocks[k][r];
                                for (int j = from; j < w; j++) {
                                    scaled[j] *= factor[j];
                                }
                            }
                        }
                        double[][] swap = c;
                        c = s;
                        s = swap;
                    }
                }
                if (trailing == 0) {
                    copy(c, blocks[finalSlot], h, w, diagonal);
                }
                for (int k = 0; k < count; k++) {
                    DoubleBuffer target = out.get(k);
                    double[][] block = blocks[k];
                    for (int r = 0; r < h; r++) {
                        int from = diagonal ? r : 0;
                        target.put((i0 + r) * n2 + j0 + from, block[r], from, w - from);
                    }
                    if (symmetric) {
                        UpperTriangle.writeTransposed(target, n2, block, i0, h, j0, w);
                    }
                }
            }
        });
        if (!failures.isEmpty()) {
            throw new FrameworkException(NON_FINITE_VALUE, failures.get(0));
        }
        List<INDArray> layers = new ArrayList<>();
        for (int slot : layerSlots) {
            layers.add(outputs.get(slot));
        }
        for (int k = 0; k < added; k++) {
            layers.add(outputs.get(earlier + k));
        }
        return state.derive(outputs.get(finalSlot), var1, var2, layers, symmetric,
                !(steps.get(steps.size() - 1) instanceof DenseStep.Activation), StateLayout.DENSE);
    }

    /**
     * Whether the pass may write a component's outputs over it: the state owns it, and every other place the state
     * holds its memory is the same array (a repeated component is one slot, the covariance is read before written).
     */
    private static boolean overwritable(KernelState state, INDArray layer) {
        if (!state.owns(layer)) {
            return false;
        }
        List<INDArray> others = new ArrayList<>(state.layers());
        others.add(state.var1());
        others.add(state.var2());
        others.add(state.nngp());
        return others.stream().allMatch(other -> other == layer || !KernelState.sameMemory(other, layer));
    }

    /** The rows of a tile (their upper part on a diagonal tile) copied. */
    private static void copy(double[][] from, double[][] to, int h, int w, boolean diagonal) {
        for (int r = 0; r < h; r++) {
            int start = diagonal ? r : 0;
            System.arraycopy(from[r], start, to[r], start, w - start);
        }
    }

    /** A dense step on a tile: the new component blocks[next], the earlier ones times the gain, then C. */
    private static void affine(DenseStep.Affine affine, double[][] c, double[][][] blocks, int next, int h, int w,
            boolean diagonal) {
        double gain = affine.gain();
        double biasVariance = affine.biasVariance();
        double biasComponent = affine.biasComponent();
        for (int r = 0; r < h; r++) {
            int from = diagonal ? r : 0;
            double[] row = c[r];
            double[] component = blocks[next][r];
            for (int j = from; j < w; j++) {
                component[j] = row[j] * gain + biasComponent;
            }
            for (int k = 0; k < next; k++) {
                double[] scaled = blocks[k][r];
                for (int j = from; j < w; j++) {
                    scaled[j] *= gain;
                }
            }
            for (int j = from; j < w; j++) {
                row[j] = row[j] * gain + biasVariance;
            }
        }
    }

    /** Whether c12, Sigma and D are finite on [from, to): one test per row, no branch per entry. */
    static boolean finite(double[] c12, double[] sigma, double[] derivative, int from, int to) {
        boolean finite = true;
        for (int c = from; c < to; c++) {
            finite &= Double.isFinite(c12[c]) & Double.isFinite(sigma[c]) & Double.isFinite(derivative[c]);
        }
        return finite;
    }

    /** The message for the first non-finite entry of a row that failed {@link #finite}. */
    static String failure(double[] c12, double[] sigma, double[] derivative, int from, int to, int i, int j0,
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

    /**
     * A new float64 array [n1, n2] whose memory is not touched yet: ND4J's {@code createUninitialized} writes every
     * page on the calling thread (docs/numerics.md#fresh-memory: about 300 ms per 128 MB when the system has no huge
     * pages to give), while memory from a JavaCPP pointer is first touched by the pass's own writes, on all its
     * threads. The array's buffer holds the pointer, which frees the memory when both are collected.
     */
    static INDArray fresh(long n1, long n2) {
        long length = n1 * n2;
        return Nd4j.create(Nd4j.createBuffer(new DoublePointer(length), length, DataType.DOUBLE), n1, n2);
    }

    private static double[] doubles(INDArray vector) {
        return vector.castTo(DataType.DOUBLE).dup().data().asDouble();
    }

    static boolean plain(INDArray array) {
        return array.dataType() == DataType.DOUBLE && array.ordering() == 'c' && array.offset() == 0
                && array.data().length() == array.length()
                && Arrays.equals(array.stride(), Nd4j.getStrides(array.shape(), 'c'));
    }

    /** Finite non-negative variances (else the array path reports the entry); covariances are checked in the pass. */
    static boolean finiteVariances(KernelState state) {
        for (INDArray v : List.of(state.var1(), state.var2())) {
            for (double x : doubles(v)) {
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
