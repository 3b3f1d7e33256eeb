/**
 * Monte Carlo estimates of the normalized Gram matrices G^[l] = (m / kappa^2) Theta_l at initialization over
 * independent seeds, for any architecture, keeping every seed's G so that errors are measured per seed
 * (docs/theory.md#what-correct-means).
 */
package io.thetalazy.kernels.montecarlo;
