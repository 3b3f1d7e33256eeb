package io.thetalazy.core.layer;

import static java.util.Objects.requireNonNull;

import io.thetalazy.core.kernel.DenseStep;
import io.thetalazy.core.kernel.GaussianDual;
import io.thetalazy.core.kernel.KernelRule;
import io.thetalazy.core.kernel.KernelState;
import io.thetalazy.core.kernel.StateLayout;
import java.util.Optional;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Pointwise nonlinearity x = phi(h), any batch shape. Kernel rule (docs/theory.md#activations-and-gaussian-duals):
 * Sigma = E phi(u)phi(v) becomes the NNGP, every component so far is multiplied entrywise by D = E phi'(u)phi'(v), with
 * (u, v) Gaussian of the incoming covariance. The arrays depend on the state's layout, which computes the rule ({@link
 * StateLayout#activation}): core's dense layout, or a plugin's (cnn's spatial layouts).
 *
 * @param activation phi
 */
public record ActivationLayer(Activation activation) implements Layer {
    private static final String PRE = "pre";
    private static final String OUTPUT = "output";
    private static final String INPUT_COTANGENT = "input-cotangent";

    /** Checks that the activation is set. */
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

    /** The layout's rule, which scales the components the state may overwrite in place. */
    @Override
    public KernelState kernel(KernelState state) {
        return state.layout().activation(activation.dual(), state);
    }

    @Override
    public Optional<DenseStep> denseStep() {
        GaussianDual dual = activation.dual();
        return dual.hasRows() ? Optional.of(new DenseStep.Activation(dual)) : Optional.empty();
    }

    @Override
    public KernelRule kernelRule() {
        return activation.dual().rule();
    }
}
