package io.thetalazy.core.layer;

import static java.util.Objects.requireNonNull;

import io.thetalazy.core.kernel.GaussianDual;
import io.thetalazy.core.kernel.KernelRule;
import io.thetalazy.core.kernel.KernelState;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Pointwise nonlinearity x = phi(h), any batch shape. Kernel rule (DESIGN 1.3): Sigma = E phi(u)phi(v) becomes the
 * NNGP, every component so far is multiplied entrywise by D = E phi'(u)phi'(v), with (u, v) Gaussian of the incoming
 * covariance.
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
        GaussianDual dual = activation.dual();
        Broadcast b = Broadcast.of(state);
        INDArray sigma = dual.sigma(b.c11(), b.c22(), state.nngp());
        INDArray derivative = dual.derivative(b.c11(), b.c22(), state.nngp());
        INDArray var1 = dual.sigma(state.var1(), state.var1(), state.var1());
        INDArray var2 = dual.sigma(state.var2(), state.var2(), state.var2());
        return state.scaleLayers(derivative).withNngp(sigma, var1, var2);
    }

    @Override
    public KernelRule kernelRule() {
        return activation.dual().rule();
    }

    /**
     * The variances broadcast to the covariance's shape: for nngp [n1, n2, rest...] and variances [n1, rest1...],
     * [n2, rest2...], c11 and c22 of nngp's shape. Dense features: var1 [n1] and var2 [n2].
     */
    record Broadcast(INDArray c11, INDArray c22) {
        static Broadcast of(KernelState state) {
            INDArray nngp = state.nngp();
            long n1 = nngp.size(0);
            long n2 = nngp.size(1);
            if (nngp.rank() == 2) {
                INDArray c11 = state.var1().reshape(n1, 1).repeat(1, n2);
                INDArray c22 = state.var2().reshape(1, n2).repeat(0, n1);
                return new Broadcast(c11, c22);
            }
            throw new UnsupportedOperationException(
                    "spatial kernel states are broadcast by the architecture's own activation rule");
        }
    }
}
