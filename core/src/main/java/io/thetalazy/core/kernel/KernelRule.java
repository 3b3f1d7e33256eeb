package io.thetalazy.core.kernel;

/** How a layer's infinite-width rule is computed. Only {@code NONE} fails when asked for a limit. */
public enum KernelRule {
    CLOSED_FORM, QUADRATURE, NONE
}
