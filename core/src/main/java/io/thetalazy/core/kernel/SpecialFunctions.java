package io.thetalazy.core.kernel;

/**
 * Special functions in double precision: the error function and its complement from W. J. Cody's rational Chebyshev
 * approximations (Cody, <i>Rational Chebyshev approximations for the error function</i>, Math. Comp. 23, 1969; the
 * netlib {@code specfun/erf} packet), accurate to a few units in the last place.
 */
public final class SpecialFunctions {
    private SpecialFunctions() {}

    /** 1/sqrt(pi). */
    private static final double INV_SQRT_PI = 0.56418958354775628695;
    /** Below this |x|, erf(x) is a rational function of x^2 times x. */
    private static final double THRESHOLD = 0.46875;
    /** Above this x, erfc(x) underflows to zero. */
    private static final double ERFC_UNDERFLOW = 26.543;

    // erf(x) = x P(x^2)/Q(x^2) for |x| <= 0.46875.
    private static final double[] A = {
        3.16112374387056560e00, 1.13864154151050156e02, 3.77485237685302021e02, 3.20937758913846947e03,
        1.85777706184603153e-1};
    private static final double[] B = {
        2.36012909523441209e01, 2.44024637934444173e02, 1.28261652607737228e03, 2.84423683343917062e03};
    // erfc(x) = exp(-x^2) P(x)/Q(x) for 0.46875 < x <= 4.
    private static final double[] C = {
        5.64188496988670089e-1, 8.88314979438837594e00, 6.61191906371416295e01, 2.98635138197400131e02,
        8.81952221241769090e02, 1.71204761263407058e03, 2.05107837782607147e03, 1.23033935479799725e03,
        2.15311535474403846e-8};
    private static final double[] D = {
        1.57449261107098347e01, 1.17693950891312499e02, 5.37181101862009858e02, 1.62138957456669019e03,
        3.29079923573345963e03, 4.36261909014324716e03, 3.43936767414372164e03, 1.23033935480374942e03};
    // erfc(x) = exp(-x^2)/x (1/sqrt(pi) + P(1/x^2)/Q(1/x^2) / x^2) for x > 4.
    private static final double[] P = {
        3.05326634961232344e-1, 3.60344899949804439e-1, 1.25781726111229246e-1, 1.60837851487422766e-2,
        6.58749161529837803e-4, 1.63153871373020978e-2};
    private static final double[] Q = {
        2.56852019228982242e00, 1.87295284992346047e00, 5.27905102951428412e-1, 6.05183413124413191e-2,
        2.33520497626869185e-3};

    /** erf(x) = (2/sqrt(pi)) int_0^x exp(-t^2) dt; odd, erf(+-infinity) = +-1, NaN for NaN. */
    public static double erf(double x) {
        double y = Math.abs(x);
        if (y <= THRESHOLD) {
            return x * small(y * y);
        }
        double result = 0.5 - erfcPositive(y) + 0.5;
        return x < 0 ? -result : result;
    }

    /** erfc(x) = 1 - erf(x), without the cancellation of 1 - erf(x) for large x; erfc(-x) = 2 - erfc(x). */
    public static double erfc(double x) {
        double y = Math.abs(x);
        if (y <= THRESHOLD) {
            return 1 - x * small(y * y);
        }
        double result = erfcPositive(y);
        return x < 0 ? 2 - result : result;
    }

    /** erf(x)/x for |x| <= 0.46875, as a function of x^2. */
    private static double small(double ysq) {
        double numerator = A[4] * ysq;
        double denominator = ysq;
        for (int i = 0; i < 3; i++) {
            numerator = (numerator + A[i]) * ysq;
            denominator = (denominator + B[i]) * ysq;
        }
        return (numerator + A[3]) / (denominator + B[3]);
    }

    /** erfc(y) for y > 0.46875 (NaN stays NaN). */
    private static double erfcPositive(double y) {
        if (Double.isNaN(y)) {
            return y;
        }
        double ratio;
        if (y <= 4) {
            double numerator = C[8] * y;
            double denominator = y;
            for (int i = 0; i < 7; i++) {
                numerator = (numerator + C[i]) * y;
                denominator = (denominator + D[i]) * y;
            }
            ratio = (numerator + C[7]) / (denominator + D[7]);
        } else {
            if (y >= ERFC_UNDERFLOW) {
                return 0;
            }
            double ysq = 1 / (y * y);
            double numerator = P[5] * ysq;
            double denominator = ysq;
            for (int i = 0; i < 4; i++) {
                numerator = (numerator + P[i]) * ysq;
                denominator = (denominator + Q[i]) * ysq;
            }
            ratio = (INV_SQRT_PI - ysq * (numerator + P[4]) / (denominator + Q[4])) / y;
        }
        // exp(-y^2) as exp(-r^2) exp(-(y - r)(y + r)) with r = y rounded down to 1/16: avoids the rounding of y*y.
        double rounded = Math.floor(y * 16) / 16;
        double delta = (y - rounded) * (y + rounded);
        return Math.exp(-rounded * rounded) * Math.exp(-delta) * ratio;
    }
}
