package io.thetalazy.core.kernel;

/** Special functions in double precision. */
public final class SpecialFunctions {
    private SpecialFunctions() {}

    public static double erf(double x) {
        throw new UnsupportedOperationException("pending");
    }
}
