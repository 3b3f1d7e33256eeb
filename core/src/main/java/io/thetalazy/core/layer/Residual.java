package io.thetalazy.core.layer;

import static io.thetalazy.core.error.ErrorCode.NON_FINITE_VALUE;
import static io.thetalazy.core.error.ErrorCode.NO_KERNEL_RULE;
import static io.thetalazy.core.error.ErrorCode.SHAPE_MISMATCH;
import static java.util.Objects.requireNonNull;

import io.thetalazy.core.error.FrameworkException;
import io.thetalazy.core.kernel.KernelRule;
import io.thetalazy.core.kernel.KernelSink;
import io.thetalazy.core.kernel.KernelState;
import io.thetalazy.core.param.BlockInvariant;
import io.thetalazy.core.param.Scaled;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Residual block {@code y = x + tau b(x)}: an identity skip plus the branch b scaled by the branch multiplier tau, on a
 * batch [n, S...] giving the same shape (neural-tangents' {@code serial(FanOut(2), parallel(b, Identity),
 * FanInSum())}). Any layer whose output shape equals its input shape can be the branch; its trainable layers keep their
 * own indices.
 *
 * <p>Backward: the input cotangent is g + b'(x)^T (tau g); the branch's layers record tau g at their outputs, so
 * their tangent-kernel contractions already carry tau.
 *
 * <p>Kernel rule ([NTK-ResNet]; docs/theory.md#residual-networks): the branch's last layer has zero-mean weights
 * independent of x, so skip and branch do not correlate in the limit and their covariances add: Sigma_out = Sigma_in +
 * tau^2 Sigma_b, components upstream of the block K^[h] + tau^2 K_b^[h] (the branch's rule already multiplied them by
 * its factor, sigma_v^2 sigma_w^2 D for a dense branch), and the branch's own components tau^2 K_b^[l]. The sum is only
 * exact for inputs that are Gaussian in the limit (a dense or convolutional layer before the block, or another block)
 * and a branch that ends in one; the rule refuses anything else, and states of different layouts ({@link
 * KernelState#layout}) or shapes, as neural-tangents' FanInSum does.
 *
 * @param branch b
 * @param branchMultiplier tau, finite
 */
public record Residual(Layer branch, double branchMultiplier) implements Layer {
    private static final String OUTPUT = "output";
    private static final String BRANCH_COTANGENT = "branch-cotangent";
    private static final String INPUT_COTANGENT = "input-cotangent";

    /** Checks that the branch is set and tau finite. */
    public Residual {
        requireNonNull(branch, "branch is null");
        if (!Double.isFinite(branchMultiplier)) {
            throw new FrameworkException(NON_FINITE_VALUE,
                    "branch multiplier must be finite, found " + branchMultiplier);
        }
    }

    @Override
    public Shape outputShape(Shape input) {
        Shape out = branch.outputShape(input);
        if (!out.equals(input)) {
            throw new FrameworkException(SHAPE_MISMATCH, ("a residual branch must keep the shape of its input to be "
                    + "added to it: input %s, branch output %s").formatted(input, out));
        }
        return input;
    }

    @Override
    public List<TrainableLayer> trainables() {
        return branch.trainables();
    }

    /** tau prod sigma_l over the branch's trainable layers, then the invariants of blocks nested in the branch. */
    @Override
    public List<BlockInvariant> blockInvariants() {
        List<TrainableLayer> layers = branch.trainables();
        Scaled tau = Scaled.constant(branchMultiplier);
        Scaled value = tau;
        for (TrainableLayer layer : layers) {
            value = value.times(layer.gain());
        }
        List<BlockInvariant> all = new ArrayList<>();
        all.add(new BlockInvariant(layers.stream().map(TrainableLayer::index).toList(), tau, value));
        all.addAll(branch.blockInvariants());
        return List.copyOf(all);
    }

    /** x + tau b(x) into a buffer kept on the tape. */
    @Override
    public INDArray apply(Params params, INDArray input, Tape tape) {
        INDArray b = branch.apply(params, input, tape.child(0));
        return b.mul(branchMultiplier, tape.buffer(OUTPUT, input)).addi(input);
    }

    @Override
    public INDArray backward(Params params, Tape tape, INDArray cotangent, Gradients into) {
        INDArray scaled = cotangent.mul(branchMultiplier, tape.buffer(BRANCH_COTANGENT, cotangent));
        INDArray throughBranch = branch.backward(params, tape.child(0), scaled, into);
        return throughBranch.add(cotangent, tape.buffer(INPUT_COTANGENT, cotangent));
    }

    @Override
    public void tangentGram(Tape tape1, Tape tape2, KernelSink into) {
        branch.tangentGram(tape1.child(0), tape2.child(0), into);
    }

    /**
     * The branch's rule runs on the input state lent (the skip still needs it); the sums are written over the branch's
     * own arrays where its result may overwrite them, else into new ones.
     */
    @Override
    public KernelState kernel(KernelState state) {
        if (!state.gaussian()) {
            throw new FrameworkException(NO_KERNEL_RULE, ("a residual sum needs inputs that are Gaussian in the limit, "
                    + "but the block's input is not (%s): put a dense or convolutional layer before the block, not an "
                    + "activation or the raw inputs").formatted(state));
        }
        KernelState b = branch.kernel(state.lent());
        if (!b.gaussian()) {
            throw new FrameworkException(NO_KERNEL_RULE, ("a residual sum needs a branch whose output is Gaussian in "
                    + "the limit, but the branch's is not (%s): end the branch with a dense or convolutional layer")
                    .formatted(b));
        }
        if (state.layout() != b.layout() || !Arrays.equals(state.nngp().shape(), b.nngp().shape())
                || !Arrays.equals(state.var1().shape(), b.var1().shape())
                || !Arrays.equals(state.var2().shape(), b.var2().shape())) {
            throw new FrameworkException(SHAPE_MISMATCH, ("a residual sum needs skip and branch states of one layout, "
                    + "found %s nngp %s, var1 %s, var2 %s (skip) and %s nngp %s, var1 %s, var2 %s (branch); the branch "
                    + "must keep the layout and the spatial size (same padding, stride 1)").formatted(
                            state.layout().name(), Arrays.toString(state.nngp().shape()),
                            Arrays.toString(state.var1().shape()),
                            Arrays.toString(state.var2().shape()), b.layout().name(), Arrays.toString(b.nngp().shape()),
                            Arrays.toString(b.var1().shape()), Arrays.toString(b.var2().shape())));
        }
        int upstream = state.layers().size();
        if (b.layers().size() < upstream) {
            throw new IllegalStateException("the branch's rule dropped components: %d in, %d out"
                    .formatted(upstream, b.layers().size()));
        }
        double t2 = branchMultiplier * branchMultiplier;
        List<INDArray> layers = new ArrayList<>();
        for (int h = 0; h < b.layers().size(); h++) {
            INDArray branchPart = scaled(b, b.layers().get(h), t2);
            layers.add(h < upstream ? branchPart.addi(state.layers().get(h)) : branchPart);
        }
        return b.derive(scaled(b, b.nngp(), t2).addi(state.nngp()), scaled(b, b.var1(), t2).addi(state.var1()),
                scaled(b, b.var2(), t2).addi(state.var2()), layers, state.symmetric() && b.symmetric(), true);
    }

    /**
     * tau^2 times an array of the branch's result: over it when the result may overwrite it and holds it once (each
     * position of a repeated component gets its own sum).
     */
    private static INDArray scaled(KernelState b, INDArray array, double t2) {
        long places = b.layers().stream().filter(layer -> layer == array).count();
        return b.mayOverwrite(array) && places <= 1 ? array.muli(t2) : array.mul(t2);
    }

    @Override
    public KernelRule kernelRule() {
        return branch.kernelRule();
    }
}
