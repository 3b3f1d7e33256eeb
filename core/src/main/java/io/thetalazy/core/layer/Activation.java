package io.thetalazy.core.layer;

import io.thetalazy.core.kernel.GaussianDual;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A pointwise nonlinearity phi with its derivative and its Gaussian dual (docs/theory.md#kernel-recursions).
 * Implementations are values selected by name ({@code relu}, {@code tanh}, ...).
 */
public interface Activation {
    /** The name configs select it by ({@code relu}, {@code tanh}, ...). */
    String name();

    /** phi applied entrywise; a fresh array, the input untouched. */
    INDArray apply(INDArray preActivation);

    /** phi' applied entrywise; a fresh array. */
    INDArray derivative(INDArray preActivation);

    /**
     * phi applied entrywise into {@code out} (same shape and type as the input, not the input itself); returns out.
     * Implementations override it with a single op where ND4J has one.
     */
    default INDArray apply(INDArray preActivation, INDArray out) {
        return out.assign(apply(preActivation));
    }

    /** The backward product cotangent * phi'(preActivation) into {@code out}; returns out. */
    default INDArray backward(INDArray preActivation, INDArray cotangent, INDArray out) {
        return out.assign(derivative(preActivation).muli(cotangent));
    }

    /** phi(z) for one number (quadrature, tests). */
    double value(double z);

    /** phi'(z) for one number. */
    double slope(double z);

    /**
     * Positively homogeneous of degree 1 (phi(c z) = c phi(z) for c > 0): relu, leaky-relu, linear. Then every layer
     * gain can be pulled into kappa (docs/theory.md#normalized-view).
     */
    boolean homogeneous();

    /** E phi(u)phi(v) and E phi'(u)phi'(v) under a bivariate Gaussian: closed form where one exists. */
    GaussianDual dual();
}
