package io.thetalazy.cnn;

import static io.thetalazy.core.error.ErrorCode.INVALID_ARGUMENT;
import static io.thetalazy.core.error.ErrorCode.SHAPE_MISMATCH;
import static java.util.Objects.requireNonNull;

import io.thetalazy.core.error.FrameworkException;
import io.thetalazy.core.kernel.KernelSink;
import io.thetalazy.core.kernel.KernelState;
import io.thetalazy.core.layer.Gradients;
import io.thetalazy.core.layer.Layer;
import io.thetalazy.core.layer.Params;
import io.thetalazy.core.layer.Products;
import io.thetalazy.core.layer.Shape;
import io.thetalazy.core.layer.Tape;
import io.thetalazy.core.layer.TrainableLayer;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import org.bytedeco.javacpp.BytePointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastAddOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * 1-d or 2-d convolution {@code h_o(p) = s sum_{c, j} W[o, c, j] x_c(p stride + j - pad) (+ s^b b_o)}, weight
 * [C_out, C_in, k] or [C_out, C_in, k, k] (docs/formats.md#conventions), on a batch [n, C_in, S...] giving [n, C_out,
 * O...]. The patches of the whole batch are columns [C_in q, n P] (q = k^r; P output positions), and forward and
 * backward are one direct BLAS product each over the batch, into buffers kept on the tape.
 *
 * <p>Tangent kernel by contraction, with g the output cotangents and X the patches recorded in the tape:
 * Theta_l(a, b) = (s beta)^2 sum_{o, c, j} (sum_p g_a[o, p] X_a[p, cj]) (sum_p' g_b[o, p'] X_b[p', cj]), computed
 * either from per-sample filter gradients (a batched GEMM, then one GEMM) or as
 * sum_{p, p'} (g_a g_b^T)[p, p'] (X_a X_b^T)[p, p'] (two GEMMs on position rows), whichever costs fewer flops; plus
 * (s^b nu)^2 (sum_p g_a)(sum_p g_b)^T for the bias.
 *
 * <p>Kernel rule (CNTK, [ADH+]; docs/theory.md#convolutional-networks): with fan-in C_in q the pre-activation
 * covariance averages the input covariance over the q window offsets, C^(l)(p, p') = sigma_l^2 (1/q) sum_j
 * Sigma^(l-1)(p s + j, p' s + j) (zero outside the input) (+ (s^b beta^b)^2); every earlier component K^[h] is
 * transformed the same way, and K^[l] = sigma_l^2 (1/q) sum_j Sigma^(l-1)(...) (+ (s^b nu)^2). With gains pulled out
 * sigma_l^2 = 1. The same-offset structure maps the diagonal layout onto itself, so both {@link KernelLayout}s are
 * supported.
 */
public record Convolution(TrainableLayer spec, int stride, Padding padding) implements Layer {
    private static final String INPUT = "input";
    private static final String COLUMNS = "columns";
    private static final String COTANGENT = "cotangent";
    private static final String OUTPUT = "output";
    private static final String CHANNEL_MAJOR_OUTPUT = "channel-major-output";
    private static final String CHANNEL_MAJOR_COTANGENT = "channel-major-cotangent";
    private static final String COLUMN_COTANGENTS = "column-cotangents";
    private static final String INPUT_COTANGENT = "input-cotangent";
    private static final String FILTER_GRADIENT_BUFFER = "filter-gradients";
    private static final String SCALED_BIAS = "scaled-bias";

    /** How {@link #tangentGram} contracts: per-sample filter gradients, or patch Gram times cotangent Gram. */
    enum GramStrategy {
        FILTER_GRADIENTS, PATCH_GRAM;

        /**
         * The cheaper strategy in flops: filter gradients cost (n1 + n2) P C_out C_in q + n1 n2 C_out C_in q, the patch
         * Grams n1 n2 P^2 (C_out + C_in q + 1).
         */
        static GramStrategy choose(long n1, long n2, long positions, long outChannels, long patchSize) {
            double filter = (double) (n1 + n2) * positions * outChannels * patchSize
                    + (double) n1 * n2 * outChannels * patchSize;
            double gram = (double) n1 * n2 * positions * positions * (outChannels + patchSize + 1);
            return filter <= gram ? FILTER_GRADIENTS : PATCH_GRAM;
        }
    }

    public Convolution {
        requireNonNull(spec, "spec is null");
        requireNonNull(padding, "padding is null");
        int rank = spec.weightShape().rank();
        if (rank != 3 && rank != 4) {
            throw new FrameworkException(SHAPE_MISMATCH,
                    "a convolution weight is [C_out, C_in, k] or [C_out, C_in, k, k], found "
                    + spec.weightShape());
        }
        if (rank == 4 && spec.weightShape().dimension(2) != spec.weightShape().dimension(3)) {
            throw new FrameworkException(SHAPE_MISMATCH, "2-d filters are square k x k, found " + spec.weightShape());
        }
        if (stride < 1) {
            throw new FrameworkException(INVALID_ARGUMENT, "stride must be at least 1, found " + stride);
        }
    }

    /** r: 1 or 2 spatial axes. */
    public int dimensions() {
        return spec.weightShape().rank() - 2;
    }

    public int kernelSize() {
        return spec.weightShape().dimension(2);
    }

    public int inChannels() {
        return spec.weightShape().dimension(1);
    }

    public int outChannels() {
        return spec.weightShape().dimension(0);
    }

    /** q = k^r, the number of filter offsets. */
    private int offsets() {
        return (int) Math.pow(kernelSize(), dimensions());
    }

    private Geometry geometry(int[] spatial) {
        return Geometry.convolution(spec.name(), spatial, kernelSize(), stride, padding);
    }

    @Override
    public Shape outputShape(Shape input) {
        if (input.rank() != dimensions() + 1 || input.dimension(0) != inChannels()) {
            throw new FrameworkException(SHAPE_MISMATCH, "%s expects inputs of shape [%d, %s], found %s"
                    .formatted(spec.name(), inChannels(), dimensions() == 1 ? "W" : "H, W", input));
        }
        int[] spatial = new int[dimensions()];
        for (int d = 0; d < spatial.length; d++) {
            spatial[d] = input.dimension(1 + d);
        }
        int[] output = geometry(spatial).output();
        int[] dims = new int[output.length + 1];
        dims[0] = outChannels();
        System.arraycopy(output, 0, dims, 1, output.length);
        return Shape.of(dims);
    }

    @Override
    public List<TrainableLayer> trainables() {
        return List.of(spec);
    }

    private int[] spatialOf(INDArray batch) {
        if (batch.rank() != dimensions() + 2 || batch.size(1) != inChannels()) {
            throw new FrameworkException(SHAPE_MISMATCH, "%s expects a batch of shape [n, %d, %s], found %s"
                    .formatted(spec.name(), inChannels(), dimensions() == 1 ? "W" : "H, W",
                            Arrays.toString(batch.shape())));
        }
        int[] spatial = new int[dimensions()];
        for (int d = 0; d < spatial.length; d++) {
            spatial[d] = Math.toIntExact(batch.size(2 + d));
        }
        return spatial;
    }

    private INDArray weightMatrix(Params params) {
        return params.get(spec.name()).reshape(outChannels(), (long) inChannels() * offsets());
    }

    /** C_in q: the length of a patch. */
    private long patchSize() {
        return (long) inChannels() * offsets();
    }

    /**
     * Patches as batch columns [C_in q, n P] (one Java gather), then one product W [C_out, C_in q] x columns into the
     * channel-major outputs [C_out, n P], copied to the output [n, C_out, O...] (a copy of n C_out P entries against
     * 2 C_in q flops per entry in the product). One GEMM over the whole batch runs at the BLAS's rate where one per
     * sample of a small network (16 images of 7 x 7 at 32 channels: [32, 288] x [288, 49]) runs at a fraction of it.
     * All arrays are buffers kept on the tape.
     */
    @Override
    public INDArray apply(Params params, INDArray input, Tape tape) {
        Geometry geometry = geometry(spatialOf(input));
        INDArray weight = weightMatrix(params);
        DataType type = weight.dataType();
        long n = input.size(0);
        long positions = geometry.outputPositions();
        INDArray columns = geometry.batchColumns(input, tape.buffer(COLUMNS, type, patchSize(), n * positions));
        tape.put(INPUT, input);
        tape.put(COLUMNS, columns);
        int[] spatial = geometry.output();
        long[] shape = new long[spatial.length + 2];
        shape[0] = n;
        shape[1] = outChannels();
        for (int d = 0; d < spatial.length; d++) {
            shape[2 + d] = spatial[d];
        }
        INDArray channelMajor = tape.buffer(CHANNEL_MAJOR_OUTPUT, type, outChannels(), n * positions);
        Products.gemm(weight, columns, channelMajor, false, false, spec.effectiveForward(), 0.0);
        INDArray output = tape.buffer(OUTPUT, type, shape);
        INDArray samples = output.reshape(n, outChannels(), positions);
        swapLeadingAxes(channelMajor.reshape(outChannels(), n, positions), samples);
        if (spec.bias().isPresent()) {
            // kept on the tape: ND4J may free a temporary operand during the op (docs/numerics.md#temporaries)
            INDArray raw = params.get(spec.biasName());
            INDArray bias = raw.mul(spec.bias().get().forward().value(), tape.buffer(SCALED_BIAS, raw));
            Nd4j.getExecutioner().exec(new BroadcastAddOp(samples, bias, samples, 1));
        }
        return output;
    }

    /**
     * into[b, a, :] = from[a, b, :] for from [A, B, R] and a contiguous into [B, A, R]: A B copies of R entries (the
     * swap between per-sample [n, C, P] and channel-major [C, n, P] layouts).
     */
    static void swapLeadingAxes(INDArray from, INDArray into) {
        if (from.ordering() != 'c' || !org.nd4j.linalg.api.shape.Shape.hasDefaultStridesForShape(from)
                || into.ordering() != 'c' || !org.nd4j.linalg.api.shape.Shape.hasDefaultStridesForShape(into)
                || from.length() * from.dataType().width() > Integer.MAX_VALUE) {
            into.assign(from.permute(1, 0, 2));
            return;
        }
        int outer = Math.toIntExact(from.size(0));
        int inner = Math.toIntExact(from.size(1));
        int bytes = from.dataType().width();
        int run = Math.toIntExact(from.size(2)) * bytes;
        ByteBuffer source = memory(from, bytes);
        ByteBuffer target = memory(into, bytes);
        for (int a = 0; a < outer; a++) {
            for (int b = 0; b < inner; b++) {
                target.put((b * outer + a) * run, source, (a * inner + b) * run, run);
            }
        }
    }

    private static ByteBuffer memory(INDArray array, int bytes) {
        long length = array.length() * bytes;
        return new BytePointer(array.data().addressPointer()).position(0).limit(length).capacity(length)
                .asByteBuffer();
    }

    /** The cotangent [n, C_out, O...] as [n, C_out, P]. */
    private INDArray samples(INDArray cotangent) {
        long n = cotangent.size(0);
        return cotangent.reshape(n, outChannels(), cotangent.length() / (n * outChannels()));
    }

    /**
     * With g the cotangent copied channel-major [C_out, n P]: dR/dW = s g columns^T and the column cotangents
     * s W^T g [C_in q, n P], one GEMM each; then one Java scatter sums the column cotangents onto the inputs. The
     * channel-major cotangent stays on the tape for {@link #tangentGram}.
     */
    @Override
    public INDArray backward(Params params, Tape tape, INDArray cotangent, Gradients into) {
        tape.put(COTANGENT, cotangent);
        INDArray input = tape.array(INPUT);
        INDArray columns = tape.array(COLUMNS);
        double multiplier = spec.effectiveForward();
        INDArray samples = samples(cotangent);
        long n = samples.size(0);
        long positions = samples.size(2);
        INDArray weight = weightMatrix(params);
        DataType type = weight.dataType();
        INDArray channelMajor = tape.buffer(CHANNEL_MAJOR_COTANGENT, type, outChannels(), n * positions);
        swapLeadingAxes(samples, channelMajor.reshape(outChannels(), n, positions));
        tape.put(CHANNEL_MAJOR_COTANGENT, channelMajor);
        INDArray columnCotangents = tape.buffer(COLUMN_COTANGENTS, type, patchSize(), n * positions);
        Products.gemm(weight, channelMajor, columnCotangents, true, false, multiplier, 0.0);
        if (into.wanted()) {
            // after the filter's last read: a descent moves it by this product
            into.product(spec.name(), params.get(spec.name()), channelMajor, columns, false, true, multiplier);
            if (spec.bias().isPresent()) {
                INDArray bias = params.get(spec.biasName());
                channelMajor.sum(into.buffer(spec.biasName(), bias), 1).muli(spec.bias().get().forward().value());
            }
        }
        INDArray inputCotangent = tape.buffer(INPUT_COTANGENT, type, input.shape());
        return geometry(spatialOf(input)).batchColumnsToInput(columnCotangents, inputCotangent);
    }

    @Override
    public void tangentGram(Tape tape1, Tape tape2, KernelSink into) {
        INDArray g1 = tape1.array(COTANGENT);
        long positions = g1.length() / (g1.size(0) * g1.size(1));
        GramStrategy strategy = GramStrategy.choose(g1.size(0), tape2.array(COTANGENT).size(0), positions,
                outChannels(), (long) inChannels() * offsets());
        tangentGram(tape1, tape2, into, strategy);
    }

    /**
     * {@link #tangentGram(Tape, Tape, KernelSink)} with a given strategy (both give the same Theta_l). The patch Grams
     * are X_1^T X_2 of the batch columns [C_in q, n P] and g_1^T g_2 of the channel-major cotangents [C_out, n P]: one
     * GEMM each, no transposed copies.
     */
    void tangentGram(Tape tape1, Tape tape2, KernelSink into, GramStrategy strategy) {
        INDArray g1 = tape1.array(COTANGENT);
        INDArray g2 = tape2.array(COTANGENT);
        long n1 = g1.size(0);
        long n2 = g2.size(0);
        long positions = g1.length() / (n1 * outChannels());
        double weightScale = spec.weight().initStd().value() * spec.effectiveForward();
        INDArray theta = switch (strategy) {
            case FILTER_GRADIENTS -> {
                INDArray j1 = filterGradients(g1, tape1);
                INDArray j2 = tape2 == tape1 ? j1 : filterGradients(g2, tape2);
                yield Products.rowGram(j1, j2, 1.0);
            }
            case PATCH_GRAM -> {
                INDArray cotangents1 = tape1.array(CHANNEL_MAJOR_COTANGENT);
                INDArray cotangents2 = tape2.array(CHANNEL_MAJOR_COTANGENT);
                INDArray product = Products.columnGram(cotangents1, cotangents2, 1.0)
                        .muli(Products.columnGram(tape1.array(COLUMNS), tape2.array(COLUMNS), 1.0));
                yield product.reshape(n1, positions, n2, positions).sum(1, 3);
            }
        };
        into.add(spec.index(), theta.muli(weightScale * weightScale));
        if (spec.bias().isPresent()) {
            double biasScale = spec.biasNormalizer() * spec.bias().get().forward().value();
            INDArray sums1 = samples(g1).sum(2);
            INDArray sums2 = tape2 == tape1 ? sums1 : samples(g2).sum(2);
            into.addBias(spec.index(), Products.rowGram(sums1, sums2, biasScale * biasScale));
        }
    }

    /**
     * Per-sample filter gradients [n, C_out C_in q]: g_a [C_out, P] x columns_a^T [P, C_in q], one GEMM per sample on
     * sample a's column block of the batch columns where it lies, into a buffer kept on the tape.
     */
    private INDArray filterGradients(INDArray cotangent, Tape tape) {
        INDArray g = samples(cotangent);
        INDArray columns = tape.array(COLUMNS);
        long n = g.size(0);
        INDArray blocks = columns.reshape(patchSize(), n, columns.size(1) / n).permute(1, 0, 2);
        INDArray gradients = tape.buffer(FILTER_GRADIENT_BUFFER, g.dataType(), n, outChannels(), patchSize());
        Products.batched(g, blocks, gradients, false, true, 1.0, 0.0);
        return gradients.reshape(n, outChannels() * patchSize());
    }

    /** The rule streamed pair by pair ({@link WindowSums}), overwriting the arrays the state may overwrite. */
    @Override
    public KernelState kernel(KernelState state) {
        KernelLayout layout = SpatialKernels.layout(state, spec.name());
        int[] spatial = SpatialKernels.spatialShape(state, layout);
        if (spatial.length != dimensions()) {
            throw new FrameworkException(SHAPE_MISMATCH,
                    "%s is a %d-d convolution, the kernel state has %d spatial axes"
                            .formatted(spec.name(), dimensions(), spatial.length));
        }
        Geometry geometry = geometry(spatial);
        int halves = SpatialKernels.halves(layout);
        long[] outShape = new long[2 + halves * spatial.length];
        outShape[0] = state.nngp().size(0);
        outShape[1] = state.nngp().size(1);
        int[] output = geometry.output();
        for (int h = 0; h < halves; h++) {
            for (int d = 0; d < output.length; d++) {
                outShape[2 + h * output.length + d] = output[d];
            }
        }
        double scale = spec.kernelGain() / geometry.offsets();
        return geometry.windowSums(halves).convolve(state, outShape, scale, spec.biasVariance(), spec.biasComponent());
    }
}
