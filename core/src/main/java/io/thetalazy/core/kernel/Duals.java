package io.thetalazy.core.kernel;

import io.thetalazy.core.layer.Activation;

/** Gaussian duals of the activations: closed forms for relu, leaky-relu, linear and erf; Gauss-Hermite otherwise. */
public final class Duals {
    private Duals() {}

    /** Default Gauss-Hermite order. */
    public static final int DEFAULT_ORDER = 120;

    public static GaussianDual relu() {
        throw new UnsupportedOperationException("pending");
    }

    public static GaussianDual leakyRelu(double slope) {
        throw new UnsupportedOperationException("pending");
    }

    public static GaussianDual linear() {
        throw new UnsupportedOperationException("pending");
    }

    public static GaussianDual erf() {
        throw new UnsupportedOperationException("pending");
    }

    public static GaussianDual quadrature(Activation activation, int order) {
        throw new UnsupportedOperationException("pending");
    }
}
