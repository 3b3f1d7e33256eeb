/**
 * The infinite-width kernel machinery shared by every layer (DESIGN 1.3): the kernel state passed between layer rules,
 * the Gaussian dual functions of the activations ({@link io.thetalazy.core.kernel.Duals}: closed forms and
 * Gauss-Hermite quadrature), the quadrature rules and special functions they need, and the sink of empirical per-layer
 * tangent kernels.
 */
package io.thetalazy.core.kernel;
