/**
 * Infinite-width limits at initialization (docs/theory.md#kernel-recursions): the NNGP Sigma^(L) and the per-layer
 * components K^[l] from the composed kernel rules of a network's layers, checked for finiteness and (for one input set)
 * symmetric positive semidefiniteness, with lambda_S = min_l lambda_min(K^[l]).
 */
package io.thetalazy.kernels.limit;
