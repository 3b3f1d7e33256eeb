/**
 * Scaling rules (parametrizations) and the normalized view: kappa, gains, mobilities, the kappa exponent from declared
 * powers of m, the predicted regime, and the invariants of residual blocks (docs/theory.md#scaling-rules) [LXMZ, LLZ,
 * abc].
 */
package io.thetalazy.core.param;
