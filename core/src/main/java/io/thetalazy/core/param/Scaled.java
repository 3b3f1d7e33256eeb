package io.thetalazy.core.param;

import static io.thetalazy.core.error.ErrorCode.NON_FINITE_VALUE;

import io.thetalazy.core.error.FrameworkException;

/**
 * A number that a scaling rule sets at width m, with the leading power of m it declares: {@code value ~ c m^power}.
 * Exponents such as kappa's are computed from these declared powers, never fitted from values at finite m
 * (docs/theory.md#kappa-exponent: Xavier's sqrt(2/(m+1)) has power -1/2).
 *
 * @param value the number at the configured width m
 * @param power the leading power of m it declares
 */
public record Scaled(double value, double power) {
    /** 1, independent of m. */
    public static final Scaled ONE = new Scaled(1, 0);

    /** Checks that value and power are finite. */
    public Scaled {
        if (!Double.isFinite(value) || !Double.isFinite(power)) {
            throw new FrameworkException(NON_FINITE_VALUE,
                    "scaled value must be finite, found " + value + " m^" + power);
        }
    }

    /** A number that does not depend on m (power 0). */
    public static Scaled constant(double value) {
        return new Scaled(value, 0);
    }

    /** {@code factor * m^power} evaluated at width m. */
    public static Scaled power(double factor, double width, double power) {
        return new Scaled(factor * Math.pow(width, power), power);
    }

    /** The product: values multiply, powers add. */
    public Scaled times(Scaled other) {
        return new Scaled(value * other.value, power + other.power);
    }

    /** 1 / value, with the power negated. */
    public Scaled inverse() {
        return new Scaled(1 / value, -power);
    }

    /** The square root, with half the power. */
    public Scaled sqrt() {
        return new Scaled(Math.sqrt(value), power / 2);
    }
}
