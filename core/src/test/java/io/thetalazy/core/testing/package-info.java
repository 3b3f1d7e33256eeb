/**
 * Fixtures shared by every module's tests through core's test-jar: {@link io.thetalazy.core.testing.TestNetworks}
 * builds small fully connected networks from core layers (as the fcn plugin does) and inputs on the sphere
 * |x|^2 = d with a bias coordinate.
 */
package io.thetalazy.core.testing;
