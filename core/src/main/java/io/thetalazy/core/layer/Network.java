package io.thetalazy.core.layer;

import static io.thetalazy.core.error.ErrorCode.NON_FINITE_VALUE;
import static io.thetalazy.core.error.ErrorCode.SHAPE_MISMATCH;
import static java.util.Objects.requireNonNull;

import io.thetalazy.core.error.FrameworkException;
import io.thetalazy.core.init.Initializers;
import io.thetalazy.core.init.Seeds;
import io.thetalazy.core.kernel.KernelSink;
import io.thetalazy.core.kernel.KernelState;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiFunction;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A built network: the architecture's layer tree plus what the whole network adds: parameter initialization, the
 * antisymmetric option f = (f(x; theta) - f(x; theta'))/sqrt 2 with theta'(0) = theta(0) (DESIGN 1.7), input checks,
 * and the entry points for gradients, tangent kernels and the infinite-width limit. The output is [n, 1].
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

    public Network(NetworkSpec spec, Layer body, BiFunction<INDArray, INDArray, KernelState> inputKernel) {
        this.spec = requireNonNull(spec, "spec is null");
        this.body = requireNonNull(body, "body is null");
        this.inputKernel = requireNonNull(inputKernel, "inputKernel is null");
        this.trainables = body.trainables();
        Shape output = body.outputShape(spec.inputShape());
        if (!output.equals(Shape.of(1))) {
            throw new IllegalArgumentException("a network has one scalar output, the body gives " + output);
        }
        for (int i = 0; i < trainables.size(); i++) {
            if (trainables.get(i).index() != i + 1) {
                throw new IllegalArgumentException("trainable layers must be numbered 1..L+1 in order, found "
                        + trainables.stream().map(TrainableLayer::name).toList());
            }
        }
        if (trainables.size() != spec.depth() + 1) {
            throw new IllegalArgumentException("depth %d needs %d trainable layers, the body has %d"
                    .formatted(spec.depth(), spec.depth() + 1, trainables.size()));
        }
    }

    public NetworkSpec spec() {
        return spec;
    }

    public Layer body() {
        return body;
    }

    public List<TrainableLayer> trainables() {
        return trainables;
    }

    public int width() {
        return spec.width();
    }

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
     * shapes (DESIGN 4), so the {@link Forward} of that call, its output included, is no longer valid. The trainer keeps
     * one tape per training loop. The input is cast to the parameters' data type (float64 unless the params were
     * {@link Params#castTo cast}).
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
        INDArray combined = output.sub(mirror, tape.buffer(OUTPUT, output)).muli(INV_SQRT2);
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
        body.backward(params, forward.tape(), outputCotangent.mul(INV_SQRT2), into);
        body.backward(params.withSuffix(MIRROR), forward.mirrorTape(), outputCotangent.mul(-INV_SQRT2),
                into.withSuffix(MIRROR));
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
        body.tangentGram(f1.tape(), f2.tape(), sink);
        if (spec.antisymmetric()) {
            body.tangentGram(f1.mirrorTape(), f2.mirrorTape(), sink);
        }
    }

    /** The infinite-width limit at initialization: NNGP and per-layer K^[l] between x1 and x2 (DESIGN 1.3). */
    public KernelState limit(INDArray x1, INDArray x2) {
        checkInput(x1);
        checkInput(x2);
        INDArray a = x1.castTo(DataType.DOUBLE);
        INDArray b = x2 == x1 ? a : x2.castTo(DataType.DOUBLE);
        // the input state is built here from fresh arrays: the rules may overwrite all but the inputs themselves
        Object data1 = a.data();
        Object data2 = b.data();
        return body.kernel(inputKernel.apply(a, b), array -> array.data() != data1 && array.data() != data2);
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
        double sum = x.sumNumber().doubleValue();
        return Double.isFinite(sum) && Double.isFinite(x.amaxNumber().doubleValue());
    }

    /** A forward pass: inputs, outputs [n, 1] and the tapes (mirrorTape null unless antisymmetric). */
    public record Forward(INDArray input, INDArray output, Tape tape, Tape mirrorTape) {}
}
