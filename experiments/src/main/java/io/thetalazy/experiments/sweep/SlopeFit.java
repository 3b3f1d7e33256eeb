package io.thetalazy.experiments.sweep;

/**
 * Least-squares line log y = a + S log x with the standard error of S, and the regime label docs/theory.md#regime-slope
 * reads from it: {@code linear} if S &lt; -max(0.05, 2 se), {@code condensed} if S > max(0.05, 2 se), else {@code
 * critical}.
 */
public record SlopeFit(double slope, double intercept, double standardError, int points) {
    public static SlopeFit logLog(double[] x, double[] y) {
        if (x.length != y.length || x.length < 2) {
            throw new IllegalArgumentException("a slope needs at least two (x, y) points of equal count");
        }
        int n = x.length;
        double[] lx = new double[n];
        double[] ly = new double[n];
        for (int i = 0; i < n; i++) {
            if (!(x[i] > 0) || !(y[i] > 0)) {
                throw new IllegalArgumentException("log-log fit needs positive values, found (%s, %s)".formatted(x[i], y[i]));
            }
            lx[i] = Math.log(x[i]);
            ly[i] = Math.log(y[i]);
        }
        double mx = 0;
        double my = 0;
        for (int i = 0; i < n; i++) {
            mx += lx[i] / n;
            my += ly[i] / n;
        }
        double sxx = 0;
        double sxy = 0;
        for (int i = 0; i < n; i++) {
            sxx += (lx[i] - mx) * (lx[i] - mx);
            sxy += (lx[i] - mx) * (ly[i] - my);
        }
        double slope = sxy / sxx;
        double intercept = my - slope * mx;
        double residual = 0;
        for (int i = 0; i < n; i++) {
            double r = ly[i] - intercept - slope * lx[i];
            residual += r * r;
        }
        double se = n > 2 ? Math.sqrt(residual / (n - 2) / sxx) : Double.NaN;
        return new SlopeFit(slope, intercept, se, n);
    }

    /** linear, critical or condensed (docs/theory.md#regime-slope). */
    public String regime() {
        double threshold = Math.max(0.05, Double.isNaN(standardError) ? 0 : 2 * standardError);
        if (slope < -threshold) {
            return "linear";
        }
        if (slope > threshold) {
            return "condensed";
        }
        return "critical";
    }
}
