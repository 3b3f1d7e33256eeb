/**
 * Predictions from kernels (docs/theory.md#kernel-recursions): symmetric spectra, the labelled loss-decay rates r_0,
 * r_inf and r_LLZ, the linearized dynamics of gradient descent and gradient flow, kernel ridge regression, the {@code
 * auto} and {@code adaptive} step sizes, training observers of the kernel (drift, lambda_min) and the convergence check
 * in the step fraction c.
 */
package io.thetalazy.kernels.predict;
