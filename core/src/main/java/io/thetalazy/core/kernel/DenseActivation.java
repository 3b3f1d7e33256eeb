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
 * The activation rule (DESIGN 1.3) on the dense layout in one pass over the rows: for each row of the covariance it
 * computes Sigma and D together ({@link GaussianDual#both}) from the variance vectors (no broadcast matrices) and
 * multiplies every earlier component's row by D, in place where the caller may overwrite the component and into a
 * new array otherwise. Rows are split across the cores; every entry is computed by the same expressions as the
 * array methods, so the results are identical.
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
        return plain(state.nngp()) && finite(state);
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
        double[] var1 = state.var1().castTo(DataType.DOUBLE).dup().data().asDouble();
        double[] var2 = state.var2().castTo(DataType.DOUBLE).dup().data().asDouble();
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
        int cores = Runtime.getRuntime().availableProcessors();
        int tasks = Math.max(1, Math.min(cores * 4, n1));
        List<String> failures = Collections.synchronizedList(new ArrayList<>());
        IntStream.range(0, tasks).parallel().forEach(task -> {
            int from = (int) ((long) n1 * task / tasks);
            int to = (int) ((long) n1 * (task + 1) / tasks);
            double[] c11 = new double[n2];
            double[] c12 = new double[n2];
            double[] s = new double[n2];
            double[] d = new double[n2];
            double[] row = new double[n2];
            for (int i = from; i < to; i++) {
                int offset = i * n2;
                Arrays.fill(c11, var1[i]);
                covariance.get(offset, c12);
                dual.both(c11, var2, c12, s, d, 0, n2);
                for (int j = 0; j < n2; j++) {
                    if (!Double.isFinite(s[j]) || !Double.isFinite(d[j])) {
                        failures.add("Sigma or D of the dual is %s, %s at entry [%d, %d] (c11 = %s, c22 = %s, c12 = %s)"
                                .formatted(s[j], d[j], i, j, var1[i], var2[j], c12[j]));
                        return;
                    }
                }
                sigmaOut.put(offset, s);
                for (int k = 0; k < in.size(); k++) {
                    in.get(k).get(offset, row);
                    for (int j = 0; j < n2; j++) {
                        row[j] *= d[j];
                    }
                    out.get(k).put(offset, row);
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
        INDArray newVar2 = dual.sigma(state.var2(), state.var2(), state.var2());
        return new KernelState(sigma, newVar1, newVar2, layers);
    }

    private static boolean plain(INDArray array) {
        return array.dataType() == DataType.DOUBLE && array.ordering() == 'c' && array.offset() == 0
                && array.data().length() == array.length()
                && Arrays.equals(array.stride(), Nd4j.getStrides(array.shape(), 'c'));
    }

    /** Finite covariances and finite non-negative variances (else the array path reports the entry). */
    private static boolean finite(KernelState state) {
        for (INDArray v : List.of(state.var1(), state.var2())) {
            for (double x : v.castTo(DataType.DOUBLE).dup().data().asDouble()) {
                if (!Double.isFinite(x) || x < 0) {
                    return false;
                }
            }
        }
        DoubleBuffer values = buffer(state.nngp());
        int n = (int) state.nngp().length();
        int cores = Runtime.getRuntime().availableProcessors();
        return IntStream.range(0, cores).parallel().allMatch(task -> {
            int to = (int) ((long) n * (task + 1) / cores);
            for (int i = (int) ((long) n * task / cores); i < to; i++) {
                if (!Double.isFinite(values.get(i))) {
                    return false;
                }
            }
            return true;
        });
    }

    private static DoubleBuffer buffer(INDArray array) {
        return array.data().asNio().order(ByteOrder.nativeOrder()).asDoubleBuffer();
    }
}
