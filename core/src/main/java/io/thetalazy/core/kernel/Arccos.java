package io.thetalazy.core.kernel;

/**
 * arccos in plain Java, bit for bit {@link StrictMath#acos} (the fdlibm algorithm: rational approximation of
 * arcsin on [0, 0.5] and the half-angle reduction beyond). On Java 17 {@code Math.acos} is a native call per entry,
 * which dominated the dense kernel rules; this one inlines into their loops.
 */
final class Arccos {
    private Arccos() {}

    private static final double PI = 3.14159265358979311600e+00;
    private static final double PIO2_HI = 1.57079632679489655800e+00;
    private static final double PIO2_LO = 6.12323399573676603587e-17;
    private static final double PS0 = 1.66666666666666657415e-01;
    private static final double PS1 = -3.25565818622400915405e-01;
    private static final double PS2 = 2.01212532134862925881e-01;
    private static final double PS3 = -4.00555345006794114027e-02;
    private static final double PS4 = 7.91534994289814532176e-04;
    private static final double PS5 = 3.47933107596021167570e-05;
    private static final double QS1 = -2.40339491173441421878e+00;
    private static final double QS2 = 2.02094576023350569471e+00;
    private static final double QS3 = -6.88283971605453293030e-01;
    private static final double QS4 = 7.70381505559019352791e-02;

    static double acos(double x) {
        long bits = Double.doubleToRawLongBits(x);
        int hx = (int) (bits >> 32);
        int lx = (int) bits;
        int ix = hx & 0x7fffffff;
        if (ix >= 0x3ff00000) {     // |x| >= 1
            if (((ix - 0x3ff00000) | lx) == 0) {
                return hx > 0 ? 0.0 : PI + 2.0 * PIO2_LO;
            }
            return (x - x) / (x - x);   // NaN
        }
        if (ix < 0x3fe00000) {      // |x| < 0.5
            if (ix <= 0x3c600000) {
                return PIO2_HI + PIO2_LO;
            }
            double z = x * x;
            double p = z * (PS0 + z * (PS1 + z * (PS2 + z * (PS3 + z * (PS4 + z * PS5)))));
            double q = 1.0 + z * (QS1 + z * (QS2 + z * (QS3 + z * QS4)));
            double r = p / q;
            return PIO2_HI - (x - (PIO2_LO - x * r));
        } else if (hx < 0) {        // x <= -0.5
            double z = (1.0 + x) * 0.5;
            double p = z * (PS0 + z * (PS1 + z * (PS2 + z * (PS3 + z * (PS4 + z * PS5)))));
            double q = 1.0 + z * (QS1 + z * (QS2 + z * (QS3 + z * QS4)));
            double s = Math.sqrt(z);
            double r = p / q;
            double w = r * s - PIO2_LO;
            return PI - 2.0 * (s + w);
        } else {                    // x >= 0.5
            double z = (1.0 - x) * 0.5;
            double s = Math.sqrt(z);
            double df = Double.longBitsToDouble(Double.doubleToRawLongBits(s) & 0xffffffff00000000L);
            double c = (z - df * df) / (s + df);
            double p = z * (PS0 + z * (PS1 + z * (PS2 + z * (PS3 + z * (PS4 + z * PS5)))));
            double q = 1.0 + z * (QS1 + z * (QS2 + z * (QS3 + z * QS4)));
            double r = p / q;
            double w = r * s + c;
            return 2.0 * (df + w);
        }
    }

    /**
     * 2 arcsin(sqrt(z)) for z in [0, 1/4], which is arccos(1 - 2z) (the angle of a correlation >= 1/2): the branch
     * x >= 0.5 of {@link #acos} with z given instead of (1 - x) / 2, so a caller that knows z without cancellation
     * keeps its precision near x = 1; bit for bit {@code acos(1 - 2z)} wherever 1 - 2z is exact.
     */
    static double fromHalfVersine(double z) {
        if (z == 0) {
            return 0.0;   // acos(1), as acos returns it
        }
        double s = Math.sqrt(z);
        double df = Double.longBitsToDouble(Double.doubleToRawLongBits(s) & 0xffffffff00000000L);
        double c = (z - df * df) / (s + df);
        double p = z * (PS0 + z * (PS1 + z * (PS2 + z * (PS3 + z * (PS4 + z * PS5)))));
        double q = 1.0 + z * (QS1 + z * (QS2 + z * (QS3 + z * QS4)));
        double r = p / q;
        double w = r * s + c;
        return 2.0 * (df + w);
    }
}
