package io.thetalazy.core.layer;

import static io.thetalazy.core.error.ErrorCode.INVALID_ARGUMENT;
import static io.thetalazy.core.error.ErrorCode.NON_FINITE_VALUE;
import static io.thetalazy.core.error.ErrorCode.SHAPE_MISMATCH;
import static java.util.Objects.requireNonNull;

import io.thetalazy.core.error.FrameworkException;
import io.thetalazy.core.init.Initializers;
import io.thetalazy.core.init.Seeds;
import io.thetalazy.core.kernel.KernelFootprint;
import io.thetalazy.core.kernel.KernelMemory;
import io.thetalazy.core.kernel.KernelSink;
import io.thetalazy.core.kernel.KernelState;
import io.thetalazy.core.kernel.KernelTiling;
import io.thetalazy.core.param.Parametrization;
import java.nio.DoubleBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalDouble;
import java.util.function.BiFunction;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * A built network: the architecture's layer tree plus what the whole network adds: parameter initialization, the
 * antisymmetric option f = (f(x; theta) - f(x; theta'))/sqrt 2 with theta'(0) = theta(0)
 * (docs/theory.md#antisymmetric-initialization), input checks, and the entry points for gradients, tangent kernels and
 * the infinite-width limit. The output is [n, 1].
 */
public final class Network {
    static {
        Numerics.useFloat64();
    }

    /** Suffix of the antisymmetric copy's parameter names. */
    public static final String MIRROR = "-mirror";
    private static final double INV_SQRT2 = 1 / Math.sqrt(2);
    private static final String INPUT = "input";
    private static final String OUTPUT = "output";

    private final NetworkSpec spec;
    private final Layer body;
    private final List<TrainableLayer> trainables;
    private final BiFunction<INDArray, INDArray, KernelState> inputKernel;
    private final KernelFootprint footprint;

    /** A network whose kernel states are dense ([n1, n2] covariances; {@link KernelFootprint#dense}). */
    public Network(NetworkSpec spec, Layer body, BiFunction<INDArray, INDArray, KernelState> inputKernel) {
        this(spec, body, inputKernel, KernelFootprint.dense(spec.depth(), spec.activation().dual()));
    }

    /**
     * @param inputKernel the input state of the kernel limit between two input sets
     * @param footprint the memory the limit needs per input pair, which sizes its blocks ({@link #limit})
     */
    public Network(NetworkSpec spec, Layer body, BiFunction<INDArray, INDArray, KernelState> inputKernel,
            KernelFootprint footprint) {
        this.spec = requireNonNull(spec, "spec is null");
        this.body = requireNonNull(body, "body is null");
        this.inputKernel = requireNonNull(inputKernel, "inputKernel is null");
        this.footprint = requireNonNull(footprint, "footprint is null");
        this.trainables = body.trainables();
        Shape output = body.outputShape(spec.inputShape());
        if (!output.equals(Shape.of(1))) {
            throw new FrameworkException(SHAPE_MISMATCH, "a network has one scalar output, the body gives " + output);
        }
        for (int i = 0; i < trainables.size(); i++) {
            if (trainables.get(i).index() != i + 1) {
                throw new FrameworkException(INVALID_ARGUMENT,
                        "trainable layers must be numbered 1..L+1 in order, found "
                        + trainables.stream().map(TrainableLayer::name).toList());
            }
        }
        if (trainables.size() != spec.depth() + 1) {
            throw new FrameworkException(INVALID_ARGUMENT, "depth %d needs %d trainable layers, the body has %d"
                    .formatted(spec.depth(), spec.depth() + 1, trainables.size()));
        }
    }

    /** What the network was built from. */
    public NetworkSpec spec() {
        return spec;
    }

    /** The architecture's layer tree. */
    public Layer body() {
        return body;
    }

    /** The trainable layers l = 1..L+1, in index order. */
    public List<TrainableLayer> trainables() {
        return trainables;
    }

    /** The width m. */
    public int width() {
        return spec.width();
    }

    /** Whether f is the antisymmetric difference of two copies. */
    public boolean antisymmetric() {
        return spec.antisymmetric();
    }

    /**
     * Initial parameters for a seed: W^[l] = beta_l Z^[l] with Z^[l] from the layer's law, biases beta^b Zb with Zb
     * Gaussian (zero when beta^b = 0); each array has its own random stream derived from the seed and its name; the
     * antisymmetric copy is an exact copy.
     */
    public Params init(long seed) {
        Params params = new Params();
        for (TrainableLayer layer : trainables) {
            INDArray z = layer.initializer().sample(layer.weightShape().toLongArray(), Seeds.generator(seed, layer.name()));
            params.put(layer.name(), z.muli(layer.weight().initStd().value()));
            if (layer.bias().isPresent()) {
                double std = layer.bias().get().initStd().value();
                long out = layer.weightShape().dimension(0);
                INDArray b = std > 0
                        ? Initializers.GAUSSIAN.sample(new long[] {out}, Seeds.generator(seed, layer.biasName())).muli(std)
                        : Nd4j.zeros(out);
                params.put(layer.biasName(), b);
            }
        }
        if (spec.antisymmetric()) {
            for (String name : params.names()) {
                params.put(name + MIRROR, params.get(name).dup());
            }
        }
        return params;
    }

    /** The output f(x) [n, 1]. */
    public INDArray apply(Params params, INDArray x) {
        return forward(params, x).output();
    }

    /** Forward pass keeping the tapes for {@link #gradients} and tangent kernels; every array is new. */
    public Forward forward(Params params, INDArray input) {
        return forward(params, input, new Tape());
    }

    /**
     * Forward pass on a reusable tape: the layers write into arrays kept on the tape by the previous call of the same
     * shapes (docs/numerics.md#fresh-memory), so the {@link Forward} of that call, its output included, is no longer
     * valid. The trainer keeps one tape per training loop. The input is cast to the parameters' data type (float64
     * unless the params were {@link Params#castTo cast}).
     */
    public Forward forward(Params params, INDArray input, Tape tape) {
        checkInput(input);
        DataType type = dataType(params);
        INDArray x = input.dataType() == type ? input : tape.buffer(INPUT, type, input.shape()).assign(input);
        Tape bodyTape = tape.child(0);
        INDArray output = body.apply(params, x, bodyTape);
        if (!spec.antisymmetric()) {
            return new Forward(x, output, bodyTape, null);
        }
        Tape mirrorTape = tape.child(1);
        INDArray mirror = body.apply(params.withSuffix(MIRROR), x, mirrorTape);
        INDArray combined = tape.buffer(OUTPUT, output);
        DoubleBuffer first = SmallArrays.memory(output);
        DoubleBuffer second = first == null ? null : SmallArrays.memory(mirror);
        DoubleBuffer into = second == null ? null : SmallArrays.memory(combined);
        if (into == null) {
            output.sub(mirror, combined).muli(INV_SQRT2);
        } else {
            for (int i = 0, n = into.limit(); i < n; i++) {
                into.put(i, (first.get(i) - second.get(i)) * INV_SQRT2);
            }
        }
        return new Forward(x, combined, bodyTape, mirrorTape);
    }

    /** The data type of the parameters (of the first trainable layer's weight). */
    public DataType dataType(Params params) {
        return params.get(trainables.get(0).name()).dataType();
    }

    /** dR/dW for every parameter, given dR/df [n, 1] at the outputs of a forward pass; every array is new. */
    public Gradients gradients(Params params, Forward forward, INDArray outputCotangent) {
        return gradients(params, forward, outputCotangent, new Gradients());
    }

    /**
     * dR/dW for every parameter written into {@code into}, overwriting the arrays it holds from a previous call (the
     * trainer keeps one Gradients per training loop); returns into.
     */
    public Gradients gradients(Params params, Forward forward, INDArray outputCotangent, Gradients into) {
        backward(params, forward, outputCotangent, into);
        return into;
    }

    private void backward(Params params, Forward forward, INDArray outputCotangent, Gradients into) {
        if (!spec.antisymmetric()) {
            body.backward(params, forward.tape(), outputCotangent, into);
            return;
        }
        body.backward(params, forward.tape(), scaled(outputCotangent, INV_SQRT2), into);
        body.backward(params.withSuffix(MIRROR), forward.mirrorTape(), scaled(outputCotangent, -INV_SQRT2),
                into.withSuffix(MIRROR));
    }

    /** factor a, fresh: in Java for small arrays. */
    private static INDArray scaled(INDArray a, double factor) {
        INDArray small = SmallArrays.map(a, v -> v * factor);
        return small != null ? small : a.mul(factor);
    }

    /**
     * Adds the per-layer tangent kernels Theta_l(x1, x2) (normalized units, both antisymmetric copies summed) to sink,
     * by contraction: one forward and one backward pass of unit cotangents per input set; in float64 also for
     * float32 parameters (a float64 copy is made).
     */
    public void tangentKernels(Params params, INDArray x1, INDArray x2, KernelSink sink) {
        tangentKernels(params, x1, x2, sink, new Tape(), new Tape());
    }

    /**
     * {@link #tangentKernels(Params, INDArray, INDArray, KernelSink)} on reusable tapes, one per input set (the second
     * is unused when x2 is x1): repeated calls of the same shapes write into the arrays the tapes kept.
     */
    public void tangentKernels(Params params, INDArray x1, INDArray x2, KernelSink sink, Tape tape1, Tape tape2) {
        if (dataType(params) != DataType.DOUBLE) {
            params = params.castTo(DataType.DOUBLE);   // kernels are float64 whatever the training type
        }
        Forward f1 = forward(params, x1, tape1);
        backward(params, f1, Nd4j.ones(x1.size(0), 1), Gradients.discard());
        Forward f2 = f1;
        if (x2 != x1) {
            f2 = forward(params, x2, tape2);
            backward(params, f2, Nd4j.ones(x2.size(0), 1), Gradients.discard());
        }
        contract(f1, f2, sink);
    }

    /**
     * The symmetric tangent kernels Theta_l(x, x) of a forward pass's inputs, on that pass's tapes: no forward pass
     * of its own (the trainer's step-size policy reuses the step's). The backward pass of unit cotangents overwrites
     * the cotangents the tapes hold, so a gradient computed from the same forward pass must come after.
     *
     * @param params float64 parameters, those of the forward pass
     */
    public void tangentKernels(Params params, Forward forward, KernelSink sink) {
        if (dataType(params) != DataType.DOUBLE) {
            throw new FrameworkException(INVALID_ARGUMENT, "kernels on a forward pass need float64 parameters, found "
                    + dataType(params));
        }
        backward(params, forward, Nd4j.ones(forward.input().size(0), 1), Gradients.discard());
        contract(forward, forward, sink);
    }

    private void contract(Forward f1, Forward f2, KernelSink sink) {
        body.tangentGram(f1.tape(), f2.tape(), sink);
        if (spec.antisymmetric()) {
            body.tangentGram(f1.mirrorTape(), f2.mirrorTape(), sink);
        }
    }

    /** The memory the limit needs per input pair. */
    public KernelFootprint footprint() {
        return footprint;
    }

    /**
     * The infinite-width limit at initialization: NNGP and per-layer K^[l] between x1 and x2, with this network's
     * parametrization (its training kernel is {@link KernelLimit#trainingKernel()}; docs/theory.md#kernel-recursions), computed in blocks when the whole does not fit in the memory the process has
     * now ({@link #limit(INDArray, INDArray, KernelMemory)}).
     */
    public KernelLimit limit(INDArray x1, INDArray x2) {
        return limit(x1, x2, KernelMemory.ofProcess());
    }

    /**
     * The limit within the given memory: the kernel of a pair depends on that pair alone, so when the whole does not
     * fit it is computed in blocks of x1 rows by x2 rows sized from the {@link #footprint} ({@link KernelTiling}), and
     * assembled; for x2 = x1 only the blocks on and above the diagonal are computed. Blocks give the whole's values to
     * round-off. Fails with INSUFFICIENT_MEMORY, before allocating, when even one pair does not fit.
     */
    public KernelLimit limit(INDArray x1, INDArray x2, KernelMemory memory) {
        checkInput(x1);
        checkInput(x2);
        boolean symmetric = x2 == x1;
        KernelTiling tiling = KernelTiling.plan(x1.size(0), x2.size(0), symmetric, trainables.size() + 1, footprint,
                memory);
        INDArray a = x1.castTo(DataType.DOUBLE);
        INDArray b = symmetric ? a : x2.castTo(DataType.DOUBLE);
        KernelState state = tiling.isWhole() ? limitBlock(a, b) : limitInBlocks(a, b, tiling);
        return new KernelLimit(state.nngp(), state.var1(), state.var2(), state.layers(), symmetric,
                Parametrization.of(this),
                OptionalDouble.empty(), List.of());
    }

    /**
     * The state the limit's recursion starts from (the architecture's input kernel of x1 and x2, float64), owning none
     * of its arrays; {@code body().kernel(inputState(x1, x2).released())} is the limit of one block.
     */
    public KernelState inputState(INDArray x1, INDArray x2) {
        checkInput(x1);
        checkInput(x2);
        INDArray a = x1.castTo(DataType.DOUBLE);
        return inputKernel.apply(a, x2 == x1 ? a : x2.castTo(DataType.DOUBLE)).lent();
    }

    private KernelState limitBlock(INDArray a, INDArray b) {
        // the input state is built here from fresh arrays: the rules may overwrite all but the inputs themselves
        return body.kernel(inputKernel.apply(a, b).released(a, b));
    }

    private KernelState limitInBlocks(INDArray a, INDArray b, KernelTiling tiling) {
        long n1 = a.size(0);
        long n2 = b.size(0);
        boolean symmetric = tiling.symmetric();
        INDArray nngp = Nd4j.createUninitialized(DataType.DOUBLE, n1, n2);
        INDArray var1 = Nd4j.createUninitialized(DataType.DOUBLE, n1);
        INDArray var2 = Nd4j.createUninitialized(DataType.DOUBLE, n2);
        List<INDArray> layers = new ArrayList<>();
        for (long r = 0; r < tiling.rowBlocks(); r++) {
            long r0 = r * tiling.rows();
            long r1 = Math.min(n1, r0 + tiling.rows());
            INDArray rows1 = a.get(NDArrayIndex.interval(r0, r1)).dup('c');
            for (long c = symmetric ? r : 0; c < tiling.columnBlocks(); c++) {
                long c0 = c * tiling.columns();
                long c1 = Math.min(n2, c0 + tiling.columns());
                boolean diagonal = symmetric && c == r;
                INDArray rows2 = diagonal ? rows1 : b.get(NDArrayIndex.interval(c0, c1)).dup('c');
                KernelState block = limitBlock(rows1, rows2);
                long[] expected = {r1 - r0, c1 - c0};
                if (!Arrays.equals(block.nngp().shape(), expected) || block.var1().length() != r1 - r0
                        || block.var2().length() != c1 - c0) {
                    // the rules' output, not the caller's input: a bug in a layer's kernel rule
                    throw new IllegalStateException("the kernel rules gave nngp %s, var1 %s, var2 %s for a block of %s "
                            .formatted(Arrays.toString(block.nngp().shape()), Arrays.toString(block.var1().shape()),
                                    Arrays.toString(block.var2().shape()), Arrays.toString(expected))
                            + "inputs: only a dense final state can be assembled from blocks");
                }
                while (layers.size() < block.layers().size()) {
                    layers.add(Nd4j.createUninitialized(DataType.DOUBLE, n1, n2));
                }
                place(nngp, block.nngp(), r0, r1, c0, c1, symmetric && !diagonal);
                for (int l = 0; l < block.layers().size(); l++) {
                    place(layers.get(l), block.layer(l + 1), r0, r1, c0, c1, symmetric && !diagonal);
                }
                if (c == (symmetric ? r : 0)) {
                    var1.get(NDArrayIndex.interval(r0, r1)).assign(block.var1().reshape(r1 - r0));
                }
                if (diagonal || (!symmetric && r == 0)) {
                    var2.get(NDArrayIndex.interval(c0, c1)).assign(block.var2().reshape(c1 - c0));
                }
            }
        }
        return new KernelState(nngp, var1, var2, layers);
    }

    /** target[r0:r1, c0:c1] = block, and target[c0:c1, r0:r1] = block^T when mirrored. */
    private static void place(INDArray target, INDArray block, long r0, long r1, long c0, long c1, boolean mirrored) {
        target.get(NDArrayIndex.interval(r0, r1), NDArrayIndex.interval(c0, c1)).assign(block);
        if (mirrored) {
            target.get(NDArrayIndex.interval(c0, c1), NDArrayIndex.interval(r0, r1)).assign(block.transpose());
        }
    }

    /** Fails with a clear message when x is not a finite batch [n, input shape...]. */
    public void checkInput(INDArray x) {
        requireNonNull(x, "x is null");
        long[] expected = spec.inputShape().batch(x.size(0));
        if (!Arrays.equals(x.shape(), expected)) {
            throw new FrameworkException(SHAPE_MISMATCH, "inputs must have shape [n, %s], found %s".formatted(
                    spec.inputShape().toString().replaceAll("[\\[\\]]", ""), Arrays.toString(x.shape())));
        }
        if (x.size(0) == 0) {
            throw new FrameworkException(SHAPE_MISMATCH, "inputs are empty: need at least one sample");
        }
        if (!isFinite(x)) {
            throw new FrameworkException(NON_FINITE_VALUE, "inputs contain NaN or infinite values");
        }
    }

    static boolean isFinite(INDArray x) {
        return SmallArrays.isFinite(x);
    }

    /**
     * A forward pass: inputs, outputs [n, 1] and the tapes (mirrorTape null unless antisymmetric).
     *
     * @param input the inputs x [n, ...]
     * @param output f(x) [n, 1]
     * @param tape the tape of the body at theta
     * @param mirrorTape the tape of the antisymmetric copy at theta', or null
     */
    public record Forward(INDArray input, INDArray output, Tape tape, Tape mirrorTape) {}
}
