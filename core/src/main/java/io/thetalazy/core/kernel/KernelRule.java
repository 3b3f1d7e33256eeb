package io.thetalazy.core.kernel;

/** How a layer's infinite-width rule is computed. Only {@code NONE} fails when asked for a limit. */
public enum KernelRule {
    /** Exact expressions (relu, erf, linear, ...). */
    CLOSED_FORM,
    /** A quadrature approximation (Gauss-Hermite for activations without closed forms). */
    QUADRATURE,
    /** No rule: the layer has no infinite-width limit here. */
    NONE
}
