package io.thetalazy.core.kernel;

import static io.thetalazy.core.error.ErrorCode.INVALID_ARGUMENT;

import io.thetalazy.core.error.FrameworkException;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.DoubleUnaryOperator;

/**
 * The K-point Gauss-Hermite rule of the standard normal law (probabilists' form): nodes z_i and weights w_i with
 * {@code sum_i w_i = 1} and {@code sum_i w_i f(z_i) = E f(Z)}, Z ~ N(0, 1), exact for polynomials of degree up to
 * 2K - 1.
 *
 * <p>The nodes are the eigenvalues of the Jacobi matrix of the orthonormal Hermite polynomials (zero diagonal,
 * off-diagonal sqrt(1), ..., sqrt(K - 1); Golub and Welsch, Math. Comp. 23, 1969), computed by implicit QL and then
 * polished by Newton steps on the three-term recurrence h_0 = 1, h_1 = z,
 * {@code h_{k+1} = (z h_k - sqrt(k) h_{k-1}) / sqrt(k + 1)}, which is evaluated with rescaling so that it cannot
 * overflow. The weights are the Christoffel numbers {@code w_i = 1 / (K h_{K-1}(z_i)^2)}, computed in logarithms: the
 * outermost weights of large orders (about exp(-z^2/2), below 1e-300 past K = 350) underflow to zero instead of
 * turning into NaN. Rules are immutable, cached per order, and take O(K^2) time to build (about 10 ms at K = 300).
 */
public final class GaussHermite {
    /** The largest order offered (about 0.3 s to build). */
    public static final int MAX_ORDER = 2000;

    private static final Map<Integer, GaussHermite> CACHE = new ConcurrentHashMap<>();
    private static final double RESCALE = 0x1p-500;
    private static final double RESCALE_LOG = Math.log(0x1p500);
    private static final double RESCALE_ABOVE = 0x1p500;

    private final double[] nodes;
    private final double[] weights;

    private GaussHermite(double[] nodes, double[] weights) {
        this.nodes = nodes;
        this.weights = weights;
    }

    /** The rule with {@code order} nodes, 1 &lt;= order &lt;= {@link #MAX_ORDER}. */
    public static GaussHermite of(int order) {
        if (order < 1 || order > MAX_ORDER) {
            throw new FrameworkException(INVALID_ARGUMENT,
                    "Gauss-Hermite order must be in [1, %d], found %d".formatted(MAX_ORDER, order));
        }
        return CACHE.computeIfAbsent(order, GaussHermite::build);
    }

    /** The number of nodes K. */
    public int order() {
        return nodes.length;
    }

    /** The nodes, increasing and symmetric about 0 (a copy). */
    public double[] nodes() {
        return nodes.clone();
    }

    /** The weights, summing to 1 (a copy). */
    public double[] weights() {
        return weights.clone();
    }

    /** {@code sum_i w_i f(z_i)}, the rule's approximation of E f(Z) for Z ~ N(0, 1). */
    public double expectation(DoubleUnaryOperator f) {
        double sum = 0;
        for (int i = 0; i < nodes.length; i++) {
            sum += weights[i] * f.applyAsDouble(nodes[i]);
        }
        return sum;
    }

    double node(int i) {
        return nodes[i];
    }

    double weight(int i) {
        return weights[i];
    }

    /**
     * Rows 0..degrees-1 of the orthogonal K x K matrix {@code Q[k][i] = sqrt(w_i) h_k(z_i)} (k: degree, i: node),
     * computed by the recurrence started at sqrt(w_i), so that every entry stays in [-1, 1] (O(degrees K) time, fresh
     * on each call). Its rows map node values to Hermite coefficients: {@code sum_i Q[k][i] sqrt(w_i) f(z_i)}
     * approximates {@code E f(Z) h_k(Z)}, exactly when f is a polynomial of degree at most 2K - 1 - k.
     */
    double[][] hermiteBasis(int degrees) {
        int order = nodes.length;
        if (degrees < 1 || degrees > order) {
            // package-private: only HermiteDual calls it, with an order it has checked
            throw new IllegalArgumentException("degrees must be in [1, %d], found %d".formatted(order, degrees));
        }
        double[] roots = new double[degrees];
        for (int k = 0; k < degrees; k++) {
            roots[k] = Math.sqrt(k);
        }
        double[][] basis = new double[degrees][order];
        for (int i = 0; i < order; i++) {
            double previous = 0;
            double current = Math.sqrt(weights[i]);
            double z = nodes[i];
            basis[0][i] = current;
            for (int k = 0; k + 1 < degrees; k++) {
                double next = (z * current - roots[k] * previous) / roots[k + 1];
                previous = current;
                current = next;
                basis[k + 1][i] = current;
            }
        }
        return basis;
    }

    private static GaussHermite build(int order) {
        double[] nodes = jacobiEigenvalues(order);
        for (int i = 0; i < order; i++) {
            nodes[i] = polish(nodes[i], order);
        }
        Arrays.sort(nodes);
        // Exact symmetry: z_i = -z_{K-1-i}, and an exact zero in the middle of odd rules.
        for (int i = 0; i < order / 2; i++) {
            double z = 0.5 * (nodes[order - 1 - i] - nodes[i]);
            nodes[i] = -z;
            nodes[order - 1 - i] = z;
        }
        if (order % 2 == 1) {
            nodes[order / 2] = 0;
        }
        double[] logWeights = new double[order];
        for (int i = 0; i < order; i++) {
            Recurrence r = Recurrence.at(nodes[i], order);
            logWeights[i] = -Math.log(order) - 2 * (Math.log(Math.abs(r.previous)) + r.scale * RESCALE_LOG);
        }
        double[] weights = new double[order];
        for (int i = 0; i < order; i++) {
            double w = Math.exp(logWeights[Math.min(i, order - 1 - i)]);
            weights[i] = w;
        }
        // Sum from the smallest weights (the tails) inwards, then normalize the round-off away.
        double total = 0;
        for (int i = 0; i < order / 2; i++) {
            total += weights[i] + weights[order - 1 - i];
        }
        if (order % 2 == 1) {
            total += weights[order / 2];
        }
        for (int i = 0; i < order; i++) {
            weights[i] /= total;
        }
        return new GaussHermite(nodes, weights);
    }

    /** Newton iterations on h_K, with h_K' = sqrt(K) h_{K-1}, from an eigenvalue estimate accurate to ~1e-14. */
    private static double polish(double z, int order) {
        for (int iteration = 0; iteration < 10; iteration++) {
            Recurrence r = Recurrence.at(z, order);
            double step = r.current / (Math.sqrt(order) * r.previous);
            z -= step;
            if (Math.abs(step) <= 1e-16 * Math.max(1, Math.abs(z))) {
                break;
            }
        }
        return z;
    }

    /** h_{K-1}(z) and h_K(z), both multiplied by 2^(-500 scale) to stay in range. */
    private record Recurrence(double previous, double current, int scale) {
        static Recurrence at(double z, int order) {
            double previous = 0;
            double current = 1;
            int scale = 0;
            for (int k = 0; k < order; k++) {
                double next = (z * current - Math.sqrt(k) * previous) / Math.sqrt(k + 1);
                previous = current;
                current = next;
                if (Math.abs(current) > RESCALE_ABOVE) {
                    previous *= RESCALE;
                    current *= RESCALE;
                    scale++;
                }
            }
            return new Recurrence(previous, current, scale);
        }
    }

    /**
     * The eigenvalues of the symmetric tridiagonal Jacobi matrix of the orthonormal Hermite polynomials, by the
     * implicit QL algorithm with Wilkinson shifts (EISPACK tql1).
     */
    private static double[] jacobiEigenvalues(int order) {
        double[] d = new double[order];
        double[] e = new double[order];
        for (int k = 1; k < order; k++) {
            e[k - 1] = Math.sqrt(k);
        }
        double f = 0;
        double largest = 0;
        for (int l = 0; l < order; l++) {
            largest = Math.max(largest, Math.abs(d[l]) + Math.abs(e[l]));
            int m = l;
            while (m < order - 1 && Math.abs(e[m]) > 0x1p-52 * largest) {
                m++;
            }
            if (m > l) {
                int iterations = 0;
                do {
                    if (++iterations > 100) {
                        // the order is checked and the matrix fixed by it: non-convergence is a bug, not bad input
                        throw new IllegalStateException(
                                "QL iteration did not converge for Gauss-Hermite order " + order);
                    }
                    double g = d[l];
                    double p = (d[l + 1] - g) / (2 * e[l]);
                    double r = Math.hypot(p, 1);
                    if (p < 0) {
                        r = -r;
                    }
                    d[l] = e[l] / (p + r);
                    d[l + 1] = e[l] * (p + r);
                    double dl1 = d[l + 1];
                    double h = g - d[l];
                    for (int i = l + 2; i < order; i++) {
                        d[i] -= h;
                    }
                    f += h;
                    p = d[m];
                    double c = 1;
                    double c2 = c;
                    double c3 = c;
                    double el1 = e[l + 1];
                    double s = 0;
                    double s2 = 0;
                    for (int i = m - 1; i >= l; i--) {
                        c3 = c2;
                        c2 = c;
                        s2 = s;
                        g = c * e[i];
                        h = c * p;
                        r = Math.hypot(p, e[i]);
                        e[i + 1] = s * r;
                        s = e[i] / r;
                        c = p / r;
                        p = c * d[i] - s * g;
                        d[i + 1] = h + s * (c * g + s * d[i]);
                    }
                    p = -s * s2 * c3 * el1 * e[l] / dl1;
                    e[l] = s * p;
                    d[l] = c * p;
                } while (Math.abs(e[l]) > 0x1p-52 * largest);
            }
            d[l] += f;
            e[l] = 0;
        }
        return d;
    }
}
