package io.thetalazy.cnn;

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
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * 1-d or 2-d convolution {@code h_o(p) = s sum_{c, j} W[o, c, j] x_c(p stride + j - pad) (+ s^b b_o)}, weight
 * [C_out, C_in, k] or [C_out, C_in, k, k] (DESIGN 1.6), on a batch [n, C_in, S...] giving [n, C_out, O...]. Forward and
 * backward are one GEMM each on the im2col patches [n P, C_in q] (q = k^r; P output positions).
 *
 * <p>Tangent kernel by contraction, with g the output cotangents and X the patches recorded in the tape:
 * Theta_l(a, b) = (s beta)^2 sum_{o, c, j} (sum_p g_a[o, p] X_a[p, cj]) (sum_p' g_b[o, p'] X_b[p', cj]), computed
 * either from per-sample filter gradients (a batched GEMM, then one GEMM) or as
 * sum_{p, p'} (g_a g_b^T)[p, p'] (X_a X_b^T)[p, p'] (two GEMMs on position rows), whichever costs fewer flops; plus
 * (s^b nu)^2 (sum_p g_a)(sum_p g_b)^T for the bias.
 *
 * <p>Kernel rule (CNTK, [ADH+]; DESIGN 1.3): with fan-in C_in q the pre-activation covariance averages the input
 * covariance over the q window offsets, C^(l)(p, p') = sigma_l^2 (1/q) sum_j Sigma^(l-1)(p s + j, p' s + j) (zero
 * outside the input) (+ (s^b beta^b)^2); every earlier component K^[h] is transformed the same way, and
 * K^[l] = sigma_l^2 (1/q) sum_j Sigma^(l-1)(...) (+ (s^b nu)^2). With gains pulled out sigma_l^2 = 1. The same-offset
 * structure maps the diagonal layout onto itself, so both {@link KernelLayout}s are supported.
 */
public record Convolution(TrainableLayer spec, int stride, Padding padding) implements Layer {
    private static final String INPUT = "input";
    private static final String PATCHES = "patches";
    private static final String COTANGENT = "cotangent";

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
            throw new IllegalArgumentException("a convolution weight is [C_out, C_in, k] or [C_out, C_in, k, k], found "
                    + spec.weightShape());
        }
        if (rank == 4 && spec.weightShape().dimension(2) != spec.weightShape().dimension(3)) {
            throw new IllegalArgumentException("2-d filters are square k x k, found " + spec.weightShape());
        }
        if (stride < 1) {
            throw new IllegalArgumentException("stride must be at least 1, found " + stride);
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

    @Override
    public INDArray apply(Params params, INDArray input, Tape tape) {
        Geometry geometry = geometry(spatialOf(input));
        INDArray patches = geometry.im2col(input);
        tape.put(INPUT, input);
        tape.put(PATCHES, patches);
        INDArray rows = Products.rowGram(patches, weightMatrix(params), spec.effectiveForward());
        if (spec.bias().isPresent()) {
            // An outer product with a ones column: ND4J's row-vector broadcast costs more than this GEMM.
            INDArray bias = params.get(spec.biasName()).reshape(1, outChannels())
                    .mul(spec.bias().get().forward().value());
            rows.addi(Nd4j.ones(rows.dataType(), rows.size(0), 1).mmul(bias));
        }
        return rowsToFeatures(rows, input.size(0), geometry.output());
    }

    /** [n P, C_out] (row = sample, position) to [n, C_out, O...]. */
    private INDArray rowsToFeatures(INDArray rows, long n, int[] output) {
        int r = output.length;
        long[] channelsLast = new long[r + 2];
        channelsLast[0] = n;
        for (int d = 0; d < r; d++) {
            channelsLast[1 + d] = output[d];
        }
        channelsLast[r + 1] = outChannels();
        int[] permutation = new int[r + 2];
        permutation[1] = r + 1;
        for (int d = 0; d < r; d++) {
            permutation[2 + d] = 1 + d;
        }
        return rows.reshape(channelsLast).permute(permutation).dup('c');
    }

    /** [n, C_out, O...] to [n P, C_out]. */
    private INDArray featuresToRows(INDArray features) {
        int r = dimensions();
        int[] permutation = new int[r + 2];
        for (int d = 0; d < r; d++) {
            permutation[1 + d] = 2 + d;
        }
        permutation[r + 1] = 1;
        long positions = features.length() / (features.size(0) * features.size(1));
        return features.permute(permutation).dup('c').reshape(features.size(0) * positions, outChannels());
    }

    @Override
    public INDArray backward(Params params, Tape tape, INDArray cotangent, Gradients into) {
        tape.put(COTANGENT, cotangent);
        INDArray input = tape.array(INPUT);
        double multiplier = spec.effectiveForward();
        INDArray rows = featuresToRows(cotangent);
        INDArray weight = weightMatrix(params);
        if (into.wanted()) {
            INDArray patches = tape.array(PATCHES);
            into.put(spec.name(), Products.columnGram(rows, patches, multiplier)
                    .reshape(spec.weightShape().toLongArray()));
            if (spec.bias().isPresent()) {
                into.put(spec.biasName(), rows.sum(0).muli(spec.bias().get().forward().value()));
            }
        }
        INDArray patchCotangents = rows.mmul(weight).muli(multiplier);
        return geometry(spatialOf(input)).col2im(patchCotangents, input.size(0), inChannels());
    }

    @Override
    public void tangentGram(Tape tape1, Tape tape2, KernelSink into) {
        INDArray g1 = tape1.array(COTANGENT);
        long positions = g1.length() / (g1.size(0) * g1.size(1));
        GramStrategy strategy = GramStrategy.choose(g1.size(0), tape2.array(COTANGENT).size(0), positions,
                outChannels(), (long) inChannels() * offsets());
        tangentGram(tape1, tape2, into, strategy);
    }

    /** {@link #tangentGram(Tape, Tape, KernelSink)} with a given strategy (both give the same Theta_l). */
    void tangentGram(Tape tape1, Tape tape2, KernelSink into, GramStrategy strategy) {
        INDArray g1 = tape1.array(COTANGENT);
        INDArray g2 = tape2.array(COTANGENT);
        long n1 = g1.size(0);
        long n2 = g2.size(0);
        long positions = g1.length() / (n1 * outChannels());
        double weightScale = spec.weight().initStd().value() * spec.effectiveForward();
        INDArray theta = switch (strategy) {
            case FILTER_GRADIENTS -> {
                INDArray j1 = filterGradients(g1, tape1.array(PATCHES), positions);
                INDArray j2 = tape2 == tape1 ? j1 : filterGradients(g2, tape2.array(PATCHES), positions);
                yield Products.rowGram(j1, j2, 1.0);
            }
            case PATCH_GRAM -> {
                INDArray rows1 = featuresToRows(g1);
                INDArray rows2 = tape2 == tape1 ? rows1 : featuresToRows(g2);
                INDArray product = Products.rowGram(rows1, rows2, 1.0)
                        .muli(Products.rowGram(tape1.array(PATCHES), tape2.array(PATCHES), 1.0));
                yield product.reshape(n1, positions, n2, positions).sum(1, 3);
            }
        };
        theta.muli(weightScale * weightScale);
        if (spec.bias().isPresent()) {
            double biasScale = spec.biasNormalizer() * spec.bias().get().forward().value();
            INDArray sums1 = g1.reshape(n1, outChannels(), positions).sum(2);
            INDArray sums2 = tape2 == tape1 ? sums1 : g2.reshape(n2, outChannels(), positions).sum(2);
            theta.addi(Products.rowGram(sums1, sums2, biasScale * biasScale));
        }
        into.add(spec.index(), theta);
    }

    /**
     * Per-sample filter gradients contracted with the cotangents, [n, C_out C_in q]: one batched GEMM
     * g_a [C_out, P] X_a [P, C_in q].
     */
    private INDArray filterGradients(INDArray cotangent, INDArray patches, long positions) {
        long n = cotangent.size(0);
        long patchSize = (long) inChannels() * offsets();
        INDArray g = cotangent.reshape(n, outChannels(), positions);
        INDArray x = patches.reshape(n, positions, patchSize);
        return Nd4j.matmul(g, x).reshape(n, outChannels() * patchSize);
    }

    @Override
    public KernelState kernel(KernelState state) {
        return kernel(state, array -> false);
    }

    /** The rule streamed pair by pair ({@link WindowSums}), overwriting the arrays the caller releases. */
    @Override
    public KernelState kernel(KernelState state, Predicate<INDArray> writable) {
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
        return geometry.windowSums(halves).convolve(state, outShape, scale, spec.biasVariance(), spec.biasComponent(),
                writable);
    }
}
