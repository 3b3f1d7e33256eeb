package io.thetalazy.cnn;

import static io.thetalazy.core.error.ErrorCode.SHAPE_MISMATCH;

import io.thetalazy.core.error.FrameworkException;
import java.nio.DoubleBuffer;
import java.util.Arrays;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;
import org.bytedeco.javacpp.DoublePointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.Shape;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The index arithmetic of a convolution or pooling window along r spatial axes: output o of axis d reads the
 * zero-padded input at o * stride + j_d for the window offsets j (row-major over the k^r offsets, the order of a
 * weight [C_out, C_in, k, k] flattened). The kernel-state operations are loops over the q = k^r offsets of strided
 * views; a convolution's patches are one Java gather through a precomputed source index per offset and position.
 *
 * <p>An array handled here has {@code leading} batch-like axes, then one or two copies ("halves") of the r spatial
 * axes: features [n, C, S...] (leading 2, one half), kernel states [n1, n2, S...] or [n1, n2, S..., S...].
 */
final class Geometry {
    private final int[] input;
    private final int kernel;
    private final int stride;
    private final int[] padBefore;
    private final int[] padAfter;
    private final int[] output;

    private Geometry(int[] input, int kernel, int stride, int[] padBefore, int[] padAfter, int[] output) {
        this.input = input;
        this.kernel = kernel;
        this.stride = stride;
        this.padBefore = padBefore;
        this.padAfter = padAfter;
        this.output = output;
    }

    /** A convolution with a k^r window; fails with SHAPE_MISMATCH when a VALID window does not fit in the input. */
    static Geometry convolution(String layer, int[] input, int kernel, int stride, Padding padding) {
        int r = input.length;
        int[] output = new int[r];
        int[] before = new int[r];
        int[] after = new int[r];
        for (int d = 0; d < r; d++) {
            switch (padding) {
                case SAME -> {
                    output[d] = (input[d] + stride - 1) / stride;
                    int total = Math.max((output[d] - 1) * stride + kernel - input[d], 0);
                    before[d] = total / 2;
                    after[d] = total - before[d];
                }
                case VALID -> {
                    if (kernel > input[d]) {
                        throw new FrameworkException(SHAPE_MISMATCH, ("%s: kernel size %d is larger than its input %s "
                                + "with VALID padding; use a smaller kernelSize, fewer layers or stride, or padding "
                                + "same").formatted(layer, kernel, Arrays.toString(input)));
                    }
                    output[d] = (input[d] - kernel) / stride + 1;
                }
            }
        }
        return new Geometry(input.clone(), kernel, stride, before, after, output);
    }

    /** Non-overlapping pooling windows of the given size (stride = window, no padding, the remainder dropped). */
    static Geometry pooling(String layer, int[] input, int window) {
        int r = input.length;
        int[] output = new int[r];
        for (int d = 0; d < r; d++) {
            if (window > input[d]) {
                throw new FrameworkException(SHAPE_MISMATCH, "%s: window %d is larger than its input %s"
                        .formatted(layer, window, Arrays.toString(input)));
            }
            output[d] = input[d] / window;
        }
        return new Geometry(input.clone(), window, window, new int[r], new int[r], output);
    }

    int dimensions() {
        return input.length;
    }

    int[] output() {
        return output.clone();
    }

    /** P: the number of output positions. */
    long outputPositions() {
        long p = 1;
        for (int o : output) {
            p *= o;
        }
        return p;
    }

    /** q = k^r: the number of window offsets. */
    int offsets() {
        int q = 1;
        for (int d = 0; d < input.length; d++) {
            q *= kernel;
        }
        return q;
    }

    /** Offset j as a multi-index, row-major. */
    private int[] offset(int j) {
        int[] multi = new int[input.length];
        for (int d = input.length - 1; d >= 0; d--) {
            multi[d] = j % kernel;
            j /= kernel;
        }
        return multi;
    }

    private boolean padded() {
        for (int d = 0; d < input.length; d++) {
            if (padBefore[d] + padAfter[d] > 0) {
                return true;
            }
        }
        return false;
    }

    /**
     * For window offset j and output position p, the flat index into one channel's S input entries that the patch
     * reads, or -1 where it reads the zero padding: [q, P], row-major.
     */
    private int[] offsetSources() {
        int r = input.length;
        int positions = Math.toIntExact(outputPositions());
        int[] sources = new int[offsets() * positions];
        int[] o = new int[r];
        for (int j = 0; j < offsets(); j++) {
            int[] multi = offset(j);
            Arrays.fill(o, 0);
            for (int p = 0; p < positions; p++) {
                int flat = 0;
                for (int d = 0; d < r && flat >= 0; d++) {
                    int at = o[d] * stride + multi[d] - padBefore[d];
                    flat = at < 0 || at >= input[d] ? -1 : flat * input[d] + at;
                }
                sources[j * positions + p] = flat;
                for (int d = r - 1; d >= 0 && ++o[d] == output[d]; d--) {
                    o[d] = 0;
                }
            }
        }
        return sources;
    }

    /** Entries from which channels are split over threads: below it one thread is faster than handing work over. */
    private static final long PARALLEL_ENTRIES = 1 << 20;

    /**
     * Patches of features x [n, C, S...] as batch columns [C q, n P] (entry ((c, j), (a, p)) = the padded x_a[c] at
     * p stride + j): one GEMM of a weight [C_out, C q] with them gives every sample's outputs at once, channel-major
     * [C_out, n P], where a product per sample of a small network runs far below the BLAS's rate. Written into
     * {@code into} by one Java gather (channels in parallel on large batches).
     */
    INDArray batchColumns(INDArray x, INDArray into) {
        if (into.dataType() != DataType.DOUBLE) {
            // float32 (benchmarks, users who ask): the float64 pass between two casts, one loop to maintain
            INDArray columns = batchColumns(x.castTo(DataType.DOUBLE), Nd4j.create(DataType.DOUBLE, into.shape()));
            return into.assign(columns.castTo(into.dataType()));
        }
        INDArray features = contiguous(x.dataType() == DataType.DOUBLE ? x : x.castTo(DataType.DOUBLE));
        Layout layout = layout(features);
        DoubleBuffer from = doubles(features);
        DoubleBuffer to = doubles(into);
        layout.forEachChannel(c -> layout.gather(c, from, to));
        return into;
    }

    /**
     * The adjoint of {@link #batchColumns}: column cotangents [C q, n P] summed back onto features, written into
     * {@code into} [n, C, S...] (a contiguous array, overwritten).
     */
    INDArray batchColumnsToInput(INDArray columns, INDArray into) {
        if (into.dataType() != DataType.DOUBLE) {
            INDArray features = batchColumnsToInput(columns.castTo(DataType.DOUBLE),
                    Nd4j.create(DataType.DOUBLE, into.shape()));
            return into.assign(features.castTo(into.dataType()));
        }
        INDArray cotangents = contiguous(columns.dataType() == DataType.DOUBLE ? columns
                : columns.castTo(DataType.DOUBLE));
        Layout layout = layout(into);
        DoubleBuffer from = doubles(cotangents);
        DoubleBuffer to = doubles(into);
        layout.forEachChannel(c -> layout.scatter(c, from, to));
        return into;
    }

    private Layout layout(INDArray features) {
        int samples = Math.toIntExact(features.size(0));
        int channels = Math.toIntExact(features.size(1));
        int entries = 1;
        for (int extent : input) {
            entries *= extent;
        }
        int positions = Math.toIntExact(outputPositions());
        int[] sources = offsetSources();
        int[][] runs = new int[offsets()][];
        for (int j = 0; j < runs.length; j++) {
            runs[j] = runs(sources, j * positions, positions, stride);
        }
        return new Layout(samples, channels, entries, positions, stride, runs);
    }

    /**
     * The sources of one offset's P positions as runs (p0, s0, length): positions p0 + t read source s0 + t step, or
     * the padding where s0 is -1. Along an output row the sources advance by the stride, so a run is mostly a row.
     */
    private static int[] runs(int[] sources, int from, int positions, int step) {
        int[] runs = new int[3 * positions];
        int count = 0;
        for (int p = 0; p < positions; ) {
            int start = sources[from + p];
            int length = 1;
            while (p + length < positions && (start < 0
                    ? sources[from + p + length] < 0
                    : sources[from + p + length] == start + length * step)) {
                length++;
            }
            runs[count++] = p;
            runs[count++] = start;
            runs[count++] = length;
            p += length;
        }
        return Arrays.copyOf(runs, count);
    }

    /**
     * The index arithmetic between features [n, C, S] and batch columns [C q, n P]: row c q + j, column a P + p holds
     * feature entry a C S + c S + s for the run of offset j that covers p (zero in a padding run). Channels own
     * disjoint rows and disjoint feature entries, so they may run on different threads.
     */
    private record Layout(int samples, int channels, int entries, int positions, int step, int[][] runs) {
        void forEachChannel(IntConsumer work) {
            long moved = (long) channels * runs.length * samples * positions;
            IntStream range = IntStream.range(0, channels);
            (moved >= PARALLEL_ENTRIES && channels > 1 ? range.parallel() : range).forEach(work);
        }

        private int row(int c, int j) {
            return (c * runs.length + j) * samples * positions;
        }

        private int feature(int a, int c) {
            return (a * channels + c) * entries;
        }

        /**
         * Channel c's rows of the batch columns, built in heap copies of one channel (its n S features, one row of
         * n P) so that a run is one System.arraycopy; each row then goes to the columns in one bulk copy.
         */
        void gather(int c, DoubleBuffer from, DoubleBuffer to) {
            double[] features = new double[samples * entries];
            for (int a = 0; a < samples; a++) {
                from.get(feature(a, c), features, a * entries, entries);
            }
            double[] row = new double[samples * positions];
            for (int j = 0; j < runs.length; j++) {
                int[] run = runs[j];
                for (int a = 0; a < samples; a++) {
                    int out = a * positions;
                    int base = a * entries;
                    for (int k = 0; k < run.length; k += 3) {
                        int p = out + run[k];
                        int source = run[k + 1];
                        int length = run[k + 2];
                        if (source < 0) {
                            Arrays.fill(row, p, p + length, 0.0);
                        } else if (step == 1) {
                            System.arraycopy(features, base + source, row, p, length);
                        } else {
                            for (int t = 0; t < length; t++) {
                                row[p + t] = features[base + source + t * step];
                            }
                        }
                    }
                }
                to.put(row(c, j), row);
            }
        }

        /** Channel c's feature entries set to the sum of the column entries that read them (heap copies as above). */
        void scatter(int c, DoubleBuffer from, DoubleBuffer to) {
            double[] features = new double[samples * entries];
            double[] row = new double[samples * positions];
            for (int j = 0; j < runs.length; j++) {
                from.get(row(c, j), row);
                int[] run = runs[j];
                for (int a = 0; a < samples; a++) {
                    int in = a * positions;
                    int base = a * entries;
                    for (int k = 0; k < run.length; k += 3) {
                        int source = run[k + 1];
                        if (source < 0) {
                            continue;   // a padding run: read by no feature
                        }
                        int p = in + run[k];
                        int target = base + source;
                        int length = run[k + 2];
                        if (step == 1) {
                            for (int t = 0; t < length; t++) {   // unit stride, the common case: no multiply
                                features[target + t] += row[p + t];
                            }
                        } else {
                            for (int t = 0; t < length; t++) {
                                features[target + t * step] += row[p + t];
                            }
                        }
                    }
                }
            }
            for (int a = 0; a < samples; a++) {
                to.put(feature(a, c), features, a * entries, entries);
            }
        }

    }

    /** x itself when it is contiguous 'c'-order memory, else a contiguous copy. */
    private static INDArray contiguous(INDArray x) {
        return x.ordering() == 'c' && Shape.hasDefaultStridesForShape(x) ? x : x.dup('c');
    }

    /** The memory of a contiguous float64 array (a view's buffer starts at the view's first entry). */
    private static DoubleBuffer doubles(INDArray x) {
        return new DoublePointer(x.data().addressPointer()).position(0).limit(x.length()).asBuffer();
    }

    /**
     * Sum over window offsets of the strided views of a zero-padded array [leading..., S...] (one half) or
     * [leading..., S..., S...] (two halves). With two halves, {@code pairs} false takes the same offset in both halves
     * (sum_j a[.., o s + j, o' s + j]: a convolution's covariance), true every pair of offsets
     * (sum_{j, j'} a[.., o s + j, o' s + j']: the covariance of window averages).
     */
    INDArray sumOverOffsets(INDArray a, int leading, int halves, boolean pairs) {
        checkSpatial(a, leading, halves);
        INDArray padded = pad(a, leading, halves);
        long[] shape = new long[leading + halves * input.length];
        for (int i = 0; i < leading; i++) {
            shape[i] = a.size(i);
        }
        for (int h = 0; h < halves; h++) {
            for (int d = 0; d < input.length; d++) {
                shape[leading + h * input.length + d] = output[d];
            }
        }
        INDArray sum = Nd4j.zeros(a.dataType(), shape);
        int rank = a.rank();
        for (int j = 0; j < offsets(); j++) {
            if (halves == 1) {
                sum.addi(padded.get(windowIndices(rank, leading, offset(j))));
            } else if (!pairs) {
                sum.addi(padded.get(windowIndices(rank, leading, offset(j), offset(j))));
            } else {
                for (int k = 0; k < offsets(); k++) {
                    sum.addi(padded.get(windowIndices(rank, leading, offset(j), offset(k))));
                }
            }
        }
        return sum;
    }

    /**
     * The same-offset window sum of {@link #sumOverOffsets} (pairs false) on the flat c-order entries of one block
     * [S...] (one half) or [S..., S...] (two halves), as runs {@code (outStart, inStart, length)} of
     * {@code out[outStart + t] += in[inStart + t stride]}, t < length, offset by offset in the window's order (each
     * output sums its terms in the order of {@link #sumOverOffsets}); positions outside the input have no run.
     *
     * <p>With stride 1 and two or more axes the runs address a copy of the block in which every axis of the last
     * spatial dimension is zero-padded (to the padded input width w), and an output whose last axis has width w: a run
     * spans whole rows of the last two axes, and the k offsets that differ only in the last dimension become the k
     * taps {@code inStart + m tapStride} of one run, added in order into one register. The padding adds the zeros that
     * {@link #sumOverOffsets} adds, so the sums agree bit for bit.
     */
    WindowSums windowSums(int halves) {
        int r = input.length;
        int axes = halves * r;
        int last = r - 1;
        boolean rows = stride == 1 && axes >= 2;
        int width = input[last] + padBefore[last] + padAfter[last];
        long[] inStrides = new long[axes];
        long[] outStrides = new long[axes];
        long inEntries = 1;
        long outEntries = 1;
        long inStride = 1;
        long outStride = 1;
        for (int a = axes - 1; a >= 0; a--) {
            inStrides[a] = inStride;
            outStrides[a] = outStride;
            inStride *= rows && a % r == last ? width : input[a % r];
            outStride *= rows && a == axes - 1 ? width : output[a % r];
            inEntries *= input[a % r];
            outEntries *= output[a % r];
        }
        long tapStride = 0;
        for (int a = 0; a < axes; a++) {
            tapStride += rows && a % r == last ? inStrides[a] : 0;
        }
        int merged = rows ? axes - 2 : axes - 1;   // the axis whose valid range one run covers
        java.util.List<int[]> runs = new java.util.ArrayList<>();
        int[] lo = new int[axes];
        int[] hi = new int[axes];
        int[] shift = new int[axes];
        for (int j = 0; j < offsets(); j++) {
            int[] multi = offset(j);
            if (rows && multi[last] != 0) {
                continue;   // a tap of the run of offset j - multi[last]
            }
            boolean empty = false;
            for (int a = 0; a < axes; a++) {
                int d = a % r;
                if (rows && d == last) {
                    // padded: every output reads padded position o + j (zeros outside the input)
                    shift[a] = 0;
                    lo[a] = 0;
                    hi[a] = a == axes - 1 ? 1 : output[d];
                    continue;
                }
                shift[a] = multi[d] - padBefore[d];
                // outputs o with 0 <= o stride + shift < input
                lo[a] = Math.max(0, Math.floorDiv(-shift[a] + stride - 1, stride));
                hi[a] = Math.min(output[d], Math.floorDiv(input[d] - 1 - shift[a], stride) + 1);
                empty |= lo[a] >= hi[a];
            }
            if (empty) {
                continue;
            }
            int[] o = lo.clone();
            int length = rows ? (hi[merged] - lo[merged]) * width : hi[merged] - lo[merged];
            while (true) {
                long outStart = 0;
                long inStart = 0;
                for (int a = 0; a < axes; a++) {
                    outStart += o[a] * outStrides[a];
                    inStart += ((long) o[a] * stride + shift[a]) * inStrides[a];
                }
                runs.add(new int[] {Math.toIntExact(outStart), Math.toIntExact(inStart), length});
                int a = merged - 1;
                while (a >= 0 && ++o[a] == hi[a]) {
                    o[a] = lo[a];
                    a--;
                }
                if (a < 0) {
                    break;
                }
            }
        }
        int[] flat = new int[3 * runs.size()];
        for (int k = 0; k < runs.size(); k++) {
            System.arraycopy(runs.get(k), 0, flat, 3 * k, 3);
        }
        if (!rows) {
            return new WindowSums(Math.toIntExact(inEntries), Math.toIntExact(outEntries), stride, flat, null);
        }
        // where each input row (all axes but the last) starts in the padded copy
        int inRows = Math.toIntExact(inEntries / input[last]);
        int[] rowStarts = new int[inRows];
        int[] x = new int[axes - 1];
        for (int row = 0; row < inRows; row++) {
            long start = padBefore[last];
            for (int a = 0; a < axes - 1; a++) {
                start += (x[a] + (a % r == last ? padBefore[last] : 0)) * inStrides[a];
            }
            rowStarts[row] = Math.toIntExact(start);
            for (int a = axes - 2; a >= 0 && ++x[a] == input[a % r]; a--) {
                x[a] = 0;
            }
        }
        WindowSums.Rows padding = new WindowSums.Rows(width, input[last], output[last], Math.toIntExact(inStride),
                rowStarts, kernel, Math.toIntExact(tapStride));
        return new WindowSums(Math.toIntExact(inEntries), Math.toIntExact(outEntries), stride, flat, padding);
    }

    /** The adjoint of the one-half {@link #sumOverOffsets}: cotangents [leading..., O...] onto [leading..., S...]. */
    INDArray spreadOverOffsets(INDArray g, int leading) {
        long[] lead = Arrays.copyOf(g.shape(), leading);
        INDArray padded = Nd4j.zeros(g.dataType(), paddedShape(lead, 1));
        for (int j = 0; j < offsets(); j++) {
            padded.get(windowIndices(g.rank(), leading, offset(j))).addi(g);
        }
        return crop(padded, leading, 1);
    }

    private void checkSpatial(INDArray a, int leading, int halves) {
        for (int h = 0; h < halves; h++) {
            for (int d = 0; d < input.length; d++) {
                if (a.size(leading + h * input.length + d) != input[d]) {
                    throw new FrameworkException(SHAPE_MISMATCH,
                            "array %s does not have spatial shape %s after %d leading axes"
                            .formatted(Arrays.toString(a.shape()), Arrays.toString(input), leading));
                }
            }
        }
    }

    private long[] paddedShape(long[] leading, int halves) {
        long[] shape = Arrays.copyOf(leading, leading.length + halves * input.length);
        for (int h = 0; h < halves; h++) {
            for (int d = 0; d < input.length; d++) {
                shape[leading.length + h * input.length + d] = (long) input[d] + padBefore[d] + padAfter[d];
            }
        }
        return shape;
    }

    private INDArray pad(INDArray a, int leading, int halves) {
        if (!padded()) {
            return a;
        }
        INDArray padded = Nd4j.zeros(a.dataType(), paddedShape(Arrays.copyOf(a.shape(), leading), halves));
        padded.get(interiorIndices(a.rank(), leading, halves)).assign(a);
        return padded;
    }

    private INDArray crop(INDArray padded, int leading, int halves) {
        if (!padded()) {
            return padded;
        }
        return padded.get(interiorIndices(padded.rank(), leading, halves)).dup('c');
    }

    private INDArrayIndex[] interiorIndices(int rank, int leading, int halves) {
        INDArrayIndex[] indices = allIndices(rank);
        for (int h = 0; h < halves; h++) {
            for (int d = 0; d < input.length; d++) {
                indices[leading + h * input.length + d] = NDArrayIndex.interval(padBefore[d], padBefore[d] + input[d]);
            }
        }
        return indices;
    }

    /** Views o * stride + j_d, o = 0..O_d - 1, of each half's spatial axes (padded coordinates). */
    private INDArrayIndex[] windowIndices(int rank, int leading, int[]... halfOffsets) {
        INDArrayIndex[] indices = allIndices(rank);
        for (int h = 0; h < halfOffsets.length; h++) {
            for (int d = 0; d < input.length; d++) {
                int start = halfOffsets[h][d];
                // A single output takes a unit interval: ND4J M2.1 misreads interval(b, s, e) when e - b < s and b > 0.
                indices[leading + h * input.length + d] = output[d] == 1
                        ? NDArrayIndex.interval(start, start + 1)
                        : NDArrayIndex.interval(start, stride, start + stride * (output[d] - 1) + 1);
            }
        }
        return indices;
    }

    private static INDArrayIndex[] allIndices(int rank) {
        INDArrayIndex[] indices = new INDArrayIndex[rank];
        for (int axis = 0; axis < rank; axis++) {
            indices[axis] = NDArrayIndex.all();    // a fresh index per axis: ND4J's index objects keep per-axis state
        }
        return indices;
    }
}
