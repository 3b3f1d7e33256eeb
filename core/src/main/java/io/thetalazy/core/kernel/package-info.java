/**
 * The kernel-limit interface: the state passed between layers' kernel rules, Gaussian duals of activations (closed
 * forms and Gauss-Hermite quadrature) and the sink of empirical tangent-kernel contributions (DESIGN 1.3).
 */
package io.thetalazy.core.kernel;
