package io.thetalazy.core.testing;

/**
 * The least-squares slope of log y against log x: how Monte Carlo errors fall with the width
 * (docs/theory.md#what-correct-means).
 */
public final class LogLogFit {
    private LogLogFit() {}

    /** The slope of log y on log x; x and y positive, at least two points. */
    public static double slope(double[] x, double[] y) {
        if (x.length != y.length || x.length < 2) {
            throw new IllegalArgumentException("need two or more (x, y) pairs, found %d x and %d y"
                    .formatted(x.length, y.length));
        }
        double mx = 0;
        double my = 0;
        for (int i = 0; i < x.length; i++) {
            mx += Math.log(x[i]) / x.length;
            my += Math.log(y[i]) / x.length;
        }
        double sxy = 0;
        double sxx = 0;
        for (int i = 0; i < x.length; i++) {
            double dx = Math.log(x[i]) - mx;
            sxy += dx * (Math.log(y[i]) - my);
            sxx += dx * dx;
        }
        return sxy / sxx;
    }
}
