package io.thetalazy.core.kernel;

import static io.thetalazy.core.error.ErrorCode.INVALID_ARGUMENT;
import static java.util.Objects.requireNonNull;

import io.thetalazy.core.error.FrameworkException;

/**
 * A layer's kernel rule on the dense layout (docs/theory.md#dense-layers) as a map on each entry of the state, so that
 * consecutive layers can run in one pass over the entries ({@link DenseChain}). Each step acts on the covariance C, the
 * variances and the components K^[1..l] so far, entry by entry, by the same expressions as the layer's own rule.
 */
public sealed interface DenseStep {
    /** The covariance passes unchanged and is the new component (a readout; a hidden layer of gain 1, no bias). */
    DenseStep IDENTITY = new Identity();

    /** See {@link #IDENTITY}. */
    record Identity() implements DenseStep {}

    /**
     * A hidden dense layer: new component {@code gain C + biasComponent}, earlier components times gain, then
     * {@code C = gain C + biasVariance} (variances likewise).
     *
     * @param gain sigma_l^2 of the layer, 1 when its gain is pulled out into kappa
     *     ({@link io.thetalazy.core.layer.TrainableLayer#kernelGain})
     * @param biasVariance (s^b beta^b)^2, the bias's share of the covariance C^(l); 0 without a bias
     * @param biasComponent (s^b nu)^2, the bias's share of the new component K^[l]; 0 without a bias
     */
    record Affine(double gain, double biasVariance, double biasComponent) implements DenseStep {}

    /**
     * An activation: Sigma of the dual becomes C, the components are multiplied by D (variances through Sigma).
     *
     * @param dual the activation's Gaussian dual; it must have a row form ({@link GaussianDual#hasRows})
     */
    record Activation(GaussianDual dual) implements DenseStep {
        /** Checks that the dual has a row form. */
        public Activation {
            requireNonNull(dual, "dual is null");
            if (!dual.hasRows()) {
                throw new FrameworkException(INVALID_ARGUMENT, "the dual has no row form: " + dual);
            }
        }
    }
}
