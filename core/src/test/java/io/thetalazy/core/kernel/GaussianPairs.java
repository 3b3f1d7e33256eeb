package io.thetalazy.core.kernel;

import java.util.SplittableRandom;
import java.util.function.DoubleUnaryOperator;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Test helpers: reference expectations over (u, v) ~ N(0, [[c11, c12], [c12, c22]]) and small array builders. */
final class GaussianPairs {
    private GaussianPairs() {}

    /** A Monte Carlo mean and its standard error. */
    record Estimate(double mean, double standardError) {}

    /** E f(u) g(v) from n pairs drawn with a fixed seed (u = sqrt(c11) z1, v = c12/sqrt(c11) z1 + L22 z2). */
    static Estimate monteCarlo(DoubleUnaryOperator f, DoubleUnaryOperator g, double c11, double c22, double c12,
            int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double l11 = Math.sqrt(c11);
        double l21 = c12 / l11;
        double l22 = Math.sqrt(Math.max(0, c22 - l21 * l21));
        double sum = 0;
        double sumOfSquares = 0;
        for (int i = 0; i < n; i++) {
            double z1 = random.nextGaussian();
            double z2 = random.nextGaussian();
            double product = f.applyAsDouble(l11 * z1) * g.applyAsDouble(l21 * z1 + l22 * z2);
            sum += product;
            sumOfSquares += product * product;
        }
        double mean = sum / n;
        double variance = (sumOfSquares / n - mean * mean) * n / (n - 1);
        return new Estimate(mean, Math.sqrt(variance / n));
    }

    /**
     * E f(u) g(v) for f, g positively homogeneous of degree {@code degree} (0 or 1), by the circle average: with
     * (u, v) = L (r cos a, r sin a), L the Cholesky factor, E f(u) g(v) = E[r^(2 degree)] (1/2pi) int f(L_1.e(a))
     * g(L_2.e(a)) da, and E r^2 = 2. The angle integral is split at the four kinks (where L_1.e(a) or L_2.e(a)
     * vanishes) and done by composite 3-point Gauss-Legendre on each piece: nodes strictly inside the pieces, so a
     * jump of f or g at 0 is never sampled. The correlation is rounded as the duals round it, so that both see the
     * same rho (near rho = +-1, D moves by sqrt(2 delta) / (2 pi) when rho moves by delta).
     */
    static double circleAverage(DoubleUnaryOperator f, DoubleUnaryOperator g, int degree, double c11, double c22,
            double c12) {
        // sqrt(c11 c22) as grid writes it: a correlation of +-1 stays exactly +-1 (sqrt(c11) sqrt(c22) rounds apart
        // from it, and the reference would be off by sqrt of that rounding near +-1)
        double rho = Math.max(-1, Math.min(1, c12 / Math.sqrt(c11 * c22)));
        double l11 = Math.sqrt(c11);
        double l21 = Math.sqrt(c22) * rho;
        double l22 = Math.sqrt(c22) * Math.sqrt((1 - rho) * (1 + rho));
        double twoPi = 2 * Math.PI;
        double kink = ((Math.atan2(-l21, l22) % Math.PI) + Math.PI) % Math.PI;
        double[] breaks = {0, twoPi, Math.PI / 2, 3 * Math.PI / 2, kink, kink + Math.PI};
        java.util.Arrays.sort(breaks);
        double[] x = {-Math.sqrt(0.6), 0, Math.sqrt(0.6)};
        double[] w = {5 / 9.0, 8 / 9.0, 5 / 9.0};
        int pieces = 400;
        double integral = 0;
        for (int b = 0; b + 1 < breaks.length; b++) {
            double width = (breaks[b + 1] - breaks[b]) / pieces;
            for (int p = 0; p < pieces && width > 0; p++) {
                double center = breaks[b] + (p + 0.5) * width;
                for (int q = 0; q < 3; q++) {
                    double a = center + 0.5 * width * x[q];
                    double cos = Math.cos(a);
                    double sin = Math.sin(a);
                    double product = f.applyAsDouble(l11 * cos) * g.applyAsDouble(l21 * cos + l22 * sin);
                    integral += 0.5 * width * w[q] * product;
                }
            }
        }
        double radialMoment = degree == 0 ? 1 : 2;
        return radialMoment * integral / twoPi;
    }

    static INDArray vector(double... values) {
        return Nd4j.create(values, new long[] {values.length}, 'c');
    }

    /** Rows (c11, c22, c12) over every pair of variances and every correlation. */
    static double[][] grid(double[] variances, double[] correlations) {
        int n = variances.length * variances.length * correlations.length;
        double[][] columns = new double[3][n];
        int i = 0;
        for (double c11 : variances) {
            for (double c22 : variances) {
                for (double rho : correlations) {
                    columns[0][i] = c11;
                    columns[1][i] = c22;
                    columns[2][i] = rho * Math.sqrt(c11 * c22);
                    i++;
                }
            }
        }
        return columns;
    }
}
