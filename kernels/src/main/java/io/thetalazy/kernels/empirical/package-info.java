/**
 * Empirical per-layer tangent kernels Theta_l at given parameters (docs/theory.md#kernel-recursions): the fast
 * contraction of each layer's recorded inputs and cotangents ({@link io.thetalazy.kernels.empirical.EmpiricalKernels},
 * no n x P Jacobian), the explicit-gradient reference ({@link io.thetalazy.kernels.empirical.ExplicitGradientKernels}),
 * tiling for large requests, and the memory checks that refuse requests the process cannot hold.
 */
package io.thetalazy.kernels.empirical;
