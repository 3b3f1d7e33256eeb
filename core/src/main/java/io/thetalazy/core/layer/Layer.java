package io.thetalazy.core.layer;

import io.thetalazy.core.kernel.DenseStep;
import io.thetalazy.core.kernel.KernelRule;
import io.thetalazy.core.kernel.KernelSink;
import io.thetalazy.core.kernel.KernelState;
import io.thetalazy.core.param.BlockInvariant;
import java.util.List;
import java.util.Optional;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A layer at finite width together with its infinite-width limit (neural-tangents' stax keeps them together for the
 * same reason). Layers are immutable values: per-call state lives in the {@link Tape}, parameters in the trainer-owned
 * {@link Params}. All methods work on a whole batch, {@code [n, sample shape...]}.
 */
public interface Layer {
    /** The per-sample output shape for a per-sample input shape; fails with SHAPE_MISMATCH on a wrong input. */
    Shape outputShape(Shape input);

    /** The trainable layers inside, input side first (their indices l run 1..L+1 over the whole network). */
    default List<TrainableLayer> trainables() {
        return List.of();
    }

    /**
     * The invariants of the residual blocks inside, input side first (docs/theory.md#normalized-view); none in a chain.
     */
    default List<BlockInvariant> blockInvariants() {
        return List.of();
    }

    /** Forward pass; records what backward needs in the tape; the input is not modified. */
    INDArray apply(Params params, INDArray input, Tape tape);

    /**
     * Backward pass: given the cotangent dR/d(output) [n, out...], adds dR/dW of this layer's parameters to
     * {@code into} and returns the cotangent with respect to the input. Trainable layers also record the cotangent at
     * their output in the tape (read by {@link #tangentGram}).
     */
    INDArray backward(Params params, Tape tape, INDArray cotangent, Gradients into);

    /**
     * Adds this layer's contribution to Theta_l(x1, x2) by contraction of recorded inputs and cotangents (no Jacobian),
     * from two tapes on which apply and a backward of unit output cotangents have run.
     */
    default void tangentGram(Tape tape1, Tape tape2, KernelSink into) {}

    /**
     * The layer's infinite-width kernel rule (docs/theory.md#kernel-recursions): NNGP state in, NNGP state and
     * components out. The rule may overwrite the arrays the input state owns ({@link KernelState#mayOverwrite}) instead
     * of copying them: a caller that reads the input state afterwards passes {@link KernelState#lent()}. The result
     * owns what the rule made ({@link KernelState#derive}).
     */
    KernelState kernel(KernelState input);

    /**
     * The kernel rule on the dense layout as a map on each entry, when it is one: {@link Serial} then runs consecutive
     * such layers in one pass ({@link io.thetalazy.core.kernel.DenseChain}). It must give what {@link #kernel} gives.
     */
    default Optional<DenseStep> denseStep() {
        return Optional.empty();
    }

    /**
     * How this layer's kernel rule is computed (closed form by default); a layer without one says {@link
     * KernelRule#NONE}.
     */
    default KernelRule kernelRule() {
        return KernelRule.CLOSED_FORM;
    }
}
