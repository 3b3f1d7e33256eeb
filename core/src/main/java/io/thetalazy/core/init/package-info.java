/** Unit-variance initializer laws and deterministic seed derivation (docs/theory.md#initializer-laws). */
package io.thetalazy.core.init;
