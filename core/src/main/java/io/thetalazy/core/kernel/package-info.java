/**
 * The infinite-width kernel machinery shared by every layer (docs/theory.md#kernel-recursions): the kernel state passed
 * between layer rules with its layout ({@link io.thetalazy.core.kernel.StateLayout}: dense here, spatial in cnn), the
 * Gaussian dual functions of the activations ({@link io.thetalazy.core.kernel.Duals}: closed forms and Gauss-Hermite
 * quadrature), the one-pass rules on dense states, the quadrature rules and special functions they need, the memory a
 * limit needs and how it is split into blocks of input pairs ({@link io.thetalazy.core.kernel.KernelFootprint}, {@link
 * io.thetalazy.core.kernel.KernelTiling}), and the sink of empirical per-layer tangent kernels.
 */
package io.thetalazy.core.kernel;
