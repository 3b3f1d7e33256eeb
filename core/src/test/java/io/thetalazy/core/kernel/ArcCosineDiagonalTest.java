package io.thetalazy.core.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The relu and leaky-relu duals (arc-cosine kernels) take their angle from the covariances: exact on the diagonal,
 * precise near it, and equal to the arccos formula of before away from it. Every form (entrywise, both, rows) is
 * checked, since the dense chain uses the rows form for the matrix and the entrywise form for the variances.
 */
final class ArcCosineDiagonalTest {
    private static final double[] SLOPES = {0, 0.2, -0.5};

    private static GaussianDual dual(double slope) {
        return slope == 0 ? Duals.relu() : Duals.leakyRelu(slope);
    }

    /** Sigma and D of every form at (c11, c22, c12); rows [form][0 Sigma, 1 D][entry]. */
    private static double[][][] forms(GaussianDual dual, double[] c11, double[] c22, double[] c12) {
        int n = c12.length;
        double[][][] out = new double[3][2][n];
        EntrywiseForms.sigma(dual, c11, c22, c12, out[0][0]);
        EntrywiseForms.derivative(dual, c11, c22, c12, out[0][1]);
        EntrywiseForms.both(dual, c11, c22, c12, out[1][0], out[1][1]);
        double[] root22 = new double[n];
        for (int j = 0; j < n; j++) {
            root22[j] = Math.sqrt(c22[j]);
        }
        for (int j = 0; j < n; j++) {   // one row per entry: c11 is a scalar in the rows form
            dual.rows().both(c11[j], Math.sqrt(c11[j]), c22, root22, c12, out[2][0], out[2][1], j, j + 1);
        }
        return out;
    }

    /** Before: t = arccos of the correlation c12 / (sqrt(c11) sqrt(c22)), clipped. */
    private static double[] arccosFormula(double slope, double c11, double c22, double c12) {
        double scale = Math.sqrt(c11) * Math.sqrt(c22);
        double rho = scale == 0 ? 0 : Math.max(-1, Math.min(1, c12 / scale));
        double sin = Math.sqrt((1 - rho) * (1 + rho));
        double even = 1 + slope * slope;
        double odd = 2 * slope;
        double sigma = scale / (2 * Math.PI)
                * (even * (sin + StrictMath.acos(-rho) * rho) - odd * (sin - StrictMath.acos(rho) * rho));
        double derivative = even / (2 * Math.PI) * StrictMath.acos(-rho) + slope / Math.PI * StrictMath.acos(rho);
        return new double[] {sigma, derivative};
    }

    @Test
    void theDiagonalIsTheClosedFormOfCorrelationOne() {
        Random random = new Random(15);
        int n = 2000;
        double[] c = new double[n];
        for (int i = 0; i < n; i++) {
            c[i] = Math.exp(random.nextGaussian() * 3);   // variances over many orders of magnitude
        }
        for (double slope : SLOPES) {
            double[][][] out = forms(dual(slope), c, c, c);
            double even = 1 + slope * slope;
            for (double[][] form : out) {
                for (int i = 0; i < n; i++) {
                    assertThat(Math.abs(form[0][i] - even * c[i] / 2)).as("Sigma at c = %s", c[i])
                            .isLessThanOrEqualTo(1e-15 * even * c[i] / 2);
                    assertThat(Math.abs(form[1][i] - even / 2)).as("D at c = %s", c[i]).isLessThanOrEqualTo(1e-15);
                }
            }
        }
    }

    @Test
    void nearTheDiagonalTheAngleKeepsItsPrecision() {
        // c11 = c22 = 3, c12 = 3 - e: 1 - rho = e / 3 and sin^2(t/2) = e / 6 hold to one rounding, so
        // t = 2 asin(sqrt(e / 6)) is a reference to 1e-16; the correlation 3 - e over sqrt(3) sqrt(3) is not
        for (double slope : SLOPES) {
            for (int k = 4; k <= 14; k++) {
                double e = 3 * Math.pow(10, -k);
                double c12 = 3 - e;
                double gap = 3 - c12;   // exact (Sterbenz), the e actually represented
                double t = 2 * StrictMath.asin(Math.sqrt(gap / 6));
                double even = 1 + slope * slope;
                double expected = even / (2 * Math.PI) * (Math.PI - t) + slope / Math.PI * t;
                double[][][] out = forms(dual(slope), new double[] {3}, new double[] {3}, new double[] {c12});
                for (double[][] form : out) {
                    assertThat(Math.abs(form[1][0] - expected)).as("D at 1 - rho = %s", gap / 3)
                            .isLessThanOrEqualTo(2e-15 * Math.abs(expected));
                }
            }
        }
    }

    @Test
    void offTheDiagonalItIsTheArccosFormula() {
        Random random = new Random(16);
        int n = 4000;
        double[] c11 = new double[n];
        double[] c22 = new double[n];
        double[] c12 = new double[n];
        for (int i = 0; i < n; i++) {
            c11[i] = Math.exp(random.nextGaussian());
            c22[i] = Math.exp(random.nextGaussian());
            double rho = random.nextDouble() * 1.98 - 0.99;
            c12[i] = rho * Math.sqrt(c11[i] * c22[i]);
        }
        c11[0] = 0;   // a zero variance: correlation 0
        for (double slope : SLOPES) {
            double[][][] out = forms(dual(slope), c11, c22, c12);
            for (double[][] form : out) {
                for (int i = 0; i < n; i++) {
                    double[] before = arccosFormula(slope, c11[i], c22[i], c12[i]);
                    double scale = Math.sqrt(c11[i] * c22[i]);
                    assertThat(Math.abs(form[0][i] - before[0])).as("Sigma")
                            .isLessThanOrEqualTo(1e-14 * scale + 1e-300);
                    assertThat(Math.abs(form[1][i] - before[1])).as("D").isLessThanOrEqualTo(1e-14);
                }
            }
        }
    }
}
