package io.thetalazy.cnn;

import static io.thetalazy.core.kernel.StateArrays.buffer;
import static io.thetalazy.core.kernel.StateArrays.plainOf;

import io.thetalazy.core.kernel.KernelState;
import io.thetalazy.core.kernel.StateArrays;
import java.nio.DoubleBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A convolution's kernel rule on a spatial state, streamed block by block: the entries of one input pair (or one
 * sample's self-covariances) form a block of {@code inEntries} doubles that the same-offset window sum maps to
 * {@code outEntries} ({@link Geometry#windowSums}). Each block is read once into a small buffer, summed there and
 * written back, in place when the caller releases the array and the sizes agree (SAME padding, stride 1), so a
 * layer allocates only its new component. Blocks are split across the cores.
 *
 * @param runs triples (outStart, inStart, length): {@code out[outStart + t] += in[inStart + t stride]}, on the block
 *     itself or, with {@code rows}, {@code out[outStart + t] += in[inStart + t + m tapStride]} for each tap m in
 *     order, on its padded copy
 * @param rows the padding the runs address, or null when they address the block itself
 */
record WindowSums(int inEntries, int outEntries, int stride, int[] runs, Rows rows) {
    /**
     * The padded copy of a block: its axes of the last spatial dimension padded to {@code width}, {@code paddedEntries}
     * in all (plus {@code taps - 1} zeros that absorb the reads of discarded columns), input row r (all axes but the
     * last; {@code inLength} entries) at {@code rowStarts[r]}; the output is computed with rows of {@code width}
     * entries, of which the first {@code outLength} are kept.
     */
    record Rows(int width, int inLength, int outLength, int paddedEntries, int[] rowStarts, int taps, int tapStride) {}

    /**
     * C = scale * (window sum of the covariance) + biasVariance, K^[l] = scale * (the same sum) + biasComponent, every
     * earlier component scale * (its window sum), the variances as the covariance.
     *
     * @param outShape the covariance's new shape [n1, n2, O...] (or [n1, n2, O..., O...])
     * Arrays the state may overwrite are overwritten when the sums keep their size.
     */
    KernelState convolve(KernelState state, long[] outShape, double scale, double biasVariance, double biasComponent) {
        INDArray nngp = state.nngp();
        INDArray covariance = target(state, nngp, outShape);
        INDArray component = Nd4j.createUninitialized(DataType.DOUBLE, outShape);
        INDArray source = plainOf(nngp);
        stream(source, covariance, component, scale, biasVariance, biasComponent);
        Map<INDArray, INDArray> targets = new IdentityHashMap<>();
        List<INDArray> layers = new ArrayList<>();
        for (INDArray layer : state.layers()) {
            layers.add(targets.computeIfAbsent(layer, array -> {
                INDArray target = target(state, array, outShape);
                stream(plainOf(array), target, null, scale, 0, 0);
                return target;
            }));
        }
        INDArray var1 = variance(state.var1(), outShape, scale, biasVariance);
        INDArray var2 = state.var2() == state.var1() ? var1 : variance(state.var2(), outShape, scale, biasVariance);
        layers.add(component);
        // a convolution's output sums C_in q independent terms: Gaussian in the limit
        return state.derive(covariance, var1, var2, layers, false, true);
    }

    /** The array itself when it may be overwritten and keeps its shape, else a new array of the output shape. */
    private INDArray target(KernelState state, INDArray array, long[] outShape) {
        boolean inPlace = inEntries == outEntries && StateArrays.plain(array) && state.mayOverwrite(array);
        return inPlace ? array : Nd4j.createUninitialized(DataType.DOUBLE, outShape);
    }

    /** The variances [n, S...] or [n, 1, S..., S...] through the same sums, into a new array. */
    private INDArray variance(INDArray var, long[] outShape, double scale, double biasVariance) {
        int leading = var.rank() - (outShape.length - 2);
        long[] shape = Arrays.copyOf(var.shape(), var.rank());
        System.arraycopy(outShape, 2, shape, leading, outShape.length - 2);
        INDArray out = Nd4j.createUninitialized(DataType.DOUBLE, shape);
        stream(plainOf(var), out, null, scale, biasVariance, 0);
        return out;
    }

    /**
     * For each block: target = scale * sum + shift, and second (when not null) = scale * sum + secondShift, each
     * rounded as {@code (sum * scale) + shift}.
     */
    private void stream(INDArray source, INDArray target, INDArray second, double scale, double shift,
            double secondShift) {
        long blocks = source.length() / inEntries;
        DoubleBuffer in = buffer(source);
        DoubleBuffer out = buffer(target);
        DoubleBuffer out2 = second == null ? null : buffer(second);
        int cores = Runtime.getRuntime().availableProcessors();
        int tasks = (int) Math.max(1, Math.min(4L * cores, blocks));
        IntStream.range(0, tasks).parallel().forEach(task -> {
            double[] block = new double[inEntries];
            double[] sum = new double[outEntries];
            double[][] scratch = scratch();
            double[] row = second == null ? null : new double[outEntries];
            long to = blocks * (task + 1) / tasks;
            for (long b = blocks * task / tasks; b < to; b++) {
                in.get(Math.toIntExact(b * inEntries), block, 0, inEntries);
                sum(block, sum, scratch);
                int start = Math.toIntExact(b * outEntries);
                if (row != null) {
                    for (int k = 0; k < outEntries; k++) {
                        row[k] = sum[k] * scale + secondShift;
                    }
                    out2.put(start, row, 0, outEntries);
                }
                for (int k = 0; k < outEntries; k++) {
                    sum[k] = sum[k] * scale + shift;
                }
                out.put(start, sum, 0, outEntries);
            }
        });
    }

    /** Working buffers for {@link #sum(double[], double[], double[][])}: the padded block and the wide output. */
    double[][] scratch() {
        if (rows == null) {
            return new double[0][];
        }
        int outRows = outEntries / rows.outLength();
        return new double[][] {new double[rows.paddedEntries() + rows.taps() - 1], new double[outRows * rows.width()]};
    }

    /** out = the window sums of one block (with working buffers from {@link #scratch}). */
    void sum(double[] in, double[] out, double[][] scratch) {
        if (rows == null) {
            add(in, out);
            return;
        }
        double[] padded = scratch[0];
        double[] wide = scratch[1];
        int inLength = rows.inLength();
        int[] starts = rows.rowStarts();
        for (int r = 0; r < starts.length; r++) {
            System.arraycopy(in, r * inLength, padded, starts[r], inLength);
        }
        addTaps(padded, wide);
        int width = rows.width();
        int outLength = rows.outLength();
        for (int r = 0, to = 0; to < outEntries; r++, to += outLength) {
            System.arraycopy(wide, r * width, out, to, outLength);
        }
    }

    /** out = the runs summed over in, from zero. */
    private void add(double[] in, double[] out) {
        Arrays.fill(out, 0);
        int[] r = runs;
        for (int k = 0; k < r.length; k += 3) {
            int o = r[k];
            int i = r[k + 1];
            int length = r[k + 2];
            for (int t = 0; t < length; t++) {
                out[o + t] += in[i + t * stride];
            }
        }
    }

    /** out = the runs of taps summed over the padded block, from zero, each tap added in order. */
    private void addTaps(double[] in, double[] out) {
        Arrays.fill(out, 0);
        int[] r = runs;
        int taps = rows.taps();
        int step = rows.tapStride();
        if (taps == 3) {
            int step2 = 2 * step;
            for (int k = 0; k < r.length; k += 3) {
                int o = r[k];
                int i = r[k + 1];
                int length = r[k + 2];
                for (int t = 0; t < length; t++) {
                    out[o + t] = ((out[o + t] + in[i + t]) + in[i + step + t]) + in[i + step2 + t];
                }
            }
            return;
        }
        for (int k = 0; k < r.length; k += 3) {
            int o = r[k];
            int i = r[k + 1];
            int length = r[k + 2];
            for (int t = 0; t < length; t++) {
                double sum = out[o + t];
                for (int m = 0; m < taps; m++) {
                    sum += in[i + m * step + t];
                }
                out[o + t] = sum;
            }
        }
    }
}
