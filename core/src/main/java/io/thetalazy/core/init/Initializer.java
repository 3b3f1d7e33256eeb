package io.thetalazy.core.init;

import java.util.random.RandomGenerator;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A unit-variance law for the entries of Z^[l] (docs/theory.md#initializer-laws); the layer's init std beta_l
 * multiplies it. Zero is not a law: a zero readout gives kappa = 0.
 */
public interface Initializer {
    /** The name configs select it by ({@code gaussian}, {@code orthogonal}, ...). */
    String name();

    /**
     * A fresh array of the given shape; weights are [out, in] or [C_out, C_in, k...], and laws that are not i.i.d.
     * (orthogonal) treat the array as the matrix [shape[0], product of the rest].
     */
    INDArray sample(long[] shape, RandomGenerator rng);
}
