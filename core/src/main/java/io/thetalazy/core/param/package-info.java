/**
 * Scaling rules (parametrizations) and the normalized view: kappa, gains, mobilities, the kappa exponent from declared
 * powers of m, the predicted regime, and the invariants of residual blocks (DESIGN 1.2, 1.5) [LXMZ, LLZ, abc].
 */
package io.thetalazy.core.param;
