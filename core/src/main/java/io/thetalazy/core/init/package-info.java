/** Unit-variance initializer laws and deterministic seed derivation (DESIGN 1.7). */
package io.thetalazy.core.init;
