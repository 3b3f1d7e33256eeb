package io.thetalazy.core.layer;

import static io.thetalazy.core.error.ErrorCode.SHAPE_MISMATCH;
import static java.util.Objects.requireNonNull;

import io.thetalazy.core.error.FrameworkException;
import io.thetalazy.core.kernel.DenseActivation;
import io.thetalazy.core.kernel.DenseStep;
import io.thetalazy.core.kernel.GaussianDual;
import io.thetalazy.core.kernel.KernelRule;
import io.thetalazy.core.kernel.KernelState;
import io.thetalazy.core.kernel.SpatialActivation;
import io.thetalazy.core.kernel.StateArrays;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Pointwise nonlinearity x = phi(h), any batch shape. Kernel rule (DESIGN 1.3): Sigma = E phi(u)phi(v) becomes the
 * NNGP, every component so far is multiplied entrywise by D = E phi'(u)phi'(v), with (u, v) Gaussian of the incoming
 * covariance. Works on every kernel-state layout: dense and, for convolutional features, spatial diagonal and spatial
 * full (see {@link Broadcast}).
 */
public record ActivationLayer(Activation activation) implements Layer {
    private static final String PRE = "pre";
    private static final String OUTPUT = "output";
    private static final String INPUT_COTANGENT = "input-cotangent";

    public ActivationLayer {
        requireNonNull(activation, "activation is null");
    }

    @Override
    public Shape outputShape(Shape input) {
        return input;
    }

    /** phi(h) into a buffer kept on the tape (overwritten by the next call on the same tape). */
    @Override
    public INDArray apply(Params params, INDArray input, Tape tape) {
        tape.put(PRE, input);
        return activation.apply(input, tape.buffer(OUTPUT, input));
    }

    /** g phi'(h) into a buffer kept on the tape (one fused op where the activation has one). */
    @Override
    public INDArray backward(Params params, Tape tape, INDArray cotangent, Gradients into) {
        INDArray pre = tape.array(PRE);
        return activation.backward(pre, cotangent, tape.buffer(INPUT_COTANGENT, pre));
    }

    @Override
    public KernelState kernel(KernelState state) {
        return kernel(state, array -> false);
    }

    /**
     * Dense layouts take the fused one-pass rule ({@link DenseActivation}), spatial layouts the streaming one
     * ({@link SpatialActivation}), both for duals with a row form; other duals take the broadcast rule. Each scales
     * writable components in place.
     */
    @Override
    public KernelState kernel(KernelState state, Predicate<INDArray> writable) {
        GaussianDual dual = activation.dual();
        if (DenseActivation.applies(dual, state)) {
            return DenseActivation.apply(dual, state, writable);
        }
        if (SpatialActivation.applies(dual, state)) {
            return SpatialActivation.apply(dual, state, writable);
        }
        return broadcastKernel(state, writable);
    }

    @Override
    public Optional<DenseStep> denseStep() {
        GaussianDual dual = activation.dual();
        return dual.hasRows() ? Optional.of(new DenseStep.Activation(dual)) : Optional.empty();
    }

    /**
     * The rule through the dual's array methods on broadcast variances ({@link Broadcast}); components the caller
     * releases are multiplied by D in place (each distinct array once), the others copied.
     */
    private KernelState broadcastKernel(KernelState state, Predicate<INDArray> writable) {
        GaussianDual dual = activation.dual();
        Broadcast b = Broadcast.of(state);
        INDArray sigma = dual.sigma(b.c11(), b.c22(), state.nngp());
        INDArray derivative = dual.derivative(b.c11(), b.c22(), state.nngp());
        INDArray var1 = dual.sigma(b.first1(), b.second1(), state.var1());
        INDArray var2 = dual.sigma(b.first2(), b.second2(), state.var2());
        Predicate<INDArray> overwrite = StateArrays.overwritable(state, writable);
        Map<INDArray, INDArray> scaled = new IdentityHashMap<>();
        List<INDArray> layers = new ArrayList<>();
        for (INDArray layer : state.layers()) {
            layers.add(scaled.computeIfAbsent(layer, array -> overwrite.test(array) ? array.muli(derivative)
                    : array.mul(derivative)));
        }
        return new KernelState(sigma, var1, var2, layers);
    }

    @Override
    public KernelRule kernelRule() {
        return activation.dual().rule();
    }

    /**
     * The variances broadcast to the shapes the dual needs. A kernel state has one of three layouts (S: the r spatial
     * axes of the features, P their product; the layout follows from the ranks, so no flag is carried):
     * <ul>
     *   <li>dense: nngp [n1, n2], var1 [n1], var2 [n2];
     *   <li>spatial diagonal (same-position pairs only, enough for a flatten readout): nngp [n1, n2, S...] with
     *       nngp[a, b, p] = Sigma(x1_a at p, x2_b at p), var1 [n1, S...] and var2 [n2, S...] the variances at each
     *       position; as for dense, var1.rank = nngp.rank - 1;
     *   <li>spatial full (all position pairs, needed by pooling and global average pooling): nngp [n1, n2, S..., S...]
     *       with nngp[a, b, p, p'] = Sigma(x1_a at p, x2_b at p'), var1 [n1, 1, S..., S...] and var2
     *       [n2, 1, S..., S...] the self-covariances of each sample between positions (their spatial diagonals are the
     *       variances); var1.rank = nngp.rank.
     * </ul>
     * c11 and c22 have nngp's shape: the variance of x1_a at the first position of the pair and of x2_b at the second.
     * (first1, second1) are the same for var1's own dual, (first2, second2) for var2's: var1 itself in the dense and
     * diagonal layouts, its spatial diagonal at the two positions in the full layout.
     */
    record Broadcast(INDArray c11, INDArray c22, INDArray first1, INDArray second1, INDArray first2,
            INDArray second2) {
        static Broadcast of(KernelState state) {
            INDArray nngp = state.nngp();
            INDArray var1 = state.var1();
            INDArray var2 = state.var2();
            int rank = nngp.rank();
            long n1 = nngp.size(0);
            long n2 = nngp.size(1);
            long[] shape = nngp.shape();
            if (var1.rank() == rank - 1) {
                long[] rest = Arrays.copyOfRange(shape, 2, rank);
                checkLayout(state, Arrays.equals(var1.shape(), concat(new long[] {n1}, rest))
                        && Arrays.equals(var2.shape(), concat(new long[] {n2}, rest)));
                INDArray c11 = var1.reshape(concat(new long[] {n1, 1}, rest)).broadcast(shape);
                INDArray c22 = var2.reshape(concat(new long[] {1, n2}, rest)).broadcast(shape);
                return new Broadcast(c11, c22, var1, var1, var2, var2);
            }
            checkLayout(state, var1.rank() == rank && rank >= 4 && rank % 2 == 0);
            long[] spatial = Arrays.copyOfRange(shape, 2, 2 + (rank - 2) / 2);
            long positions = 1;
            for (long size : spatial) {
                positions *= size;
            }
            long[] half = concat(new long[] {1}, concat(spatial, spatial));
            checkLayout(state, Arrays.equals(var1.shape(), concat(new long[] {n1}, half))
                    && Arrays.equals(var2.shape(), concat(new long[] {n2}, half))
                    && Arrays.equals(Arrays.copyOfRange(shape, 2 + spatial.length, rank), spatial));
            INDArray d1 = diagonal(var1, n1, positions);
            INDArray d2 = diagonal(var2, n2, positions);
            INDArray c11 = d1.reshape(n1, 1, positions, 1).broadcast(n1, n2, positions, positions).reshape(shape);
            INDArray c22 = d2.reshape(1, n2, 1, positions).broadcast(n1, n2, positions, positions).reshape(shape);
            return new Broadcast(c11, c22, first(d1, n1, positions, var1), second(d1, n1, positions, var1),
                    first(d2, n2, positions, var2), second(d2, n2, positions, var2));
        }

        /** The variances at each position, [n, P], from self-covariances [n, 1, S..., S...]. */
        private static INDArray diagonal(INDArray selfCovariance, long n, long positions) {
            INDArray pairs = selfCovariance.reshape(n, positions * positions);
            if (positions == 1) {
                return pairs.dup();     // ND4J M2.1 rejects the strided interval(0, 2, 1) on one column
            }
            return pairs.get(NDArrayIndex.all(), NDArrayIndex.interval(0, positions + 1, positions * positions)).dup();
        }

        private static INDArray first(INDArray diagonal, long n, long positions, INDArray like) {
            return diagonal.reshape(n, 1, positions, 1).broadcast(n, 1, positions, positions).reshape(like.shape());
        }

        private static INDArray second(INDArray diagonal, long n, long positions, INDArray like) {
            return diagonal.reshape(n, 1, 1, positions).broadcast(n, 1, positions, positions).reshape(like.shape());
        }

        private static void checkLayout(KernelState state, boolean valid) {
            if (!valid) {
                throw new FrameworkException(SHAPE_MISMATCH, ("kernel state has no known layout: nngp %s, var1 %s, "
                        + "var2 %s; expected dense (nngp [n1, n2], var [n]), spatial diagonal (nngp [n1, n2, S...], "
                        + "var [n, S...]) or spatial full (nngp [n1, n2, S..., S...], var [n, 1, S..., S...])")
                        .formatted(Arrays.toString(state.nngp().shape()), Arrays.toString(state.var1().shape()),
                                Arrays.toString(state.var2().shape())));
            }
        }

        private static long[] concat(long[] a, long[] b) {
            long[] all = Arrays.copyOf(a, a.length + b.length);
            System.arraycopy(b, 0, all, a.length, b.length);
            return all;
        }
    }
}
