package io.thetalazy.core.kernel;

import static java.util.Objects.requireNonNull;

import io.thetalazy.core.layer.Activation;
import java.util.HashMap;
import java.util.Map;
import java.util.function.DoubleUnaryOperator;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The Gaussian dual of any activation by Gauss-Hermite quadrature of order K, evaluated through the Hermite (Mehler)
 * expansion of the bivariate normal law:
 * {@code Sigma = E phi(u) phi(v) = sum_{k<K} a_k(c11) a_k(c22) rho^k}, {@code a_k(c) = E phi(sqrt(c) Z) h_k(Z)},
 * with Z ~ N(0, 1), h_k the orthonormal (probabilists') Hermite polynomials and rho = c12 / sqrt(c11 c22) (Mehler's
 * formula; the same expansion underlies the dual-activation calculus of Daniely, Frostig and Singer, 2016).
 * {@code D = E phi'(u) phi'(v)} is the same sum over the coefficients of phi' ({@link Activation#slope}).
 *
 * <p>The coefficients come from the 2K-point rule ({@link GaussHermite}): {@code a_k = sum_i w_i phi(sqrt(c) z_i)
 * h_k(z_i)}, exact when phi is a polynomial of degree up to 3K. Against the K x K tensor-product rule over (z1, z2),
 * {@code sum_ij w_i w_j phi(sqrt(c11) z_i) phi(sqrt(c22)(rho z_i + sqrt(1 - rho^2) z_j))}, this is as accurate or more
 * at equal variances (tanh at unit variance and rho = 1: 5e-15 against 4e-13 at K = 120) and less at very unequal
 * variances (tanh, c11 = 0.1, c22 = 3, rho = 0.9: 7e-13 against 3e-16). Errors fall like exp(-c sqrt K) for
 * activations analytic in a strip (tanh, sigmoid, softplus) and faster for gelu; they grow with the variances (tanh,
 * K = 120: D within 1.5e-10 of K = 240 for variances up to 1.5, 5e-8 at variance 4); the expansion is poor for kinked
 * activations (relu: use the closed forms of {@link Duals}).
 *
 * <p>Cost: 2K evaluations of phi and 2K^2 multiply-adds per distinct variance value in c11 and c22 (cached during a
 * call), then K multiply-adds per entry, in a plain Java loop split across the cores; the tensor-product rule needs
 * K^2 evaluations of phi per entry. With K = 120 a 2000 x 2000 covariance takes about 0.3 s of CPU time (0.5 s with
 * 4000 distinct variances), about 70 ns per entry.
 */
public final class HermiteDual implements GaussianDual {
    /** Distinct variances cached per call and thread; past this the cache restarts, bounding memory. */
    private static final int CACHE_LIMIT = 1 << 16;

    private final Activation activation;
    private final int order;
    private final GaussHermite rule;

    /**
     * @param order K, the number of Hermite degrees kept
     * @param rule the rule that computes the coefficients, with at least K nodes ({@link Duals#quadrature} uses 2K)
     */
    HermiteDual(Activation activation, int order, GaussHermite rule) {
        this.activation = requireNonNull(activation, "activation is null");
        this.rule = requireNonNull(rule, "rule is null");
        if (order < 1 || order > rule.order()) {
            // package-private: Duals.quadrature checks the order a user gives first
            throw new IllegalArgumentException("order must be in [1, %d], found %d".formatted(rule.order(), order));
        }
        this.order = order;
    }

    /** The activation phi whose dual this is. */
    public Activation activation() {
        return activation;
    }

    /** The order K: Hermite degrees 0..K-1 are kept, their coefficients computed by a 2K-point rule. */
    public int order() {
        return order;
    }

    @Override
    public INDArray sigma(INDArray c11, INDArray c22, INDArray c12) {
        return run("Sigma", activation::value, c11, c22, c12);
    }

    @Override
    public INDArray derivative(INDArray c11, INDArray c22, INDArray c12) {
        return run("D", activation::slope, c11, c22, c12);
    }

    @Override
    public KernelRule rule() {
        return KernelRule.QUADRATURE;
    }

    @Override
    public boolean hasRows() {
        return true;
    }

    @Override
    public void both(double[] c11, double[] c22, double[] c12, double[] sigma, double[] derivative, int from,
            int to) {
        expand(coefficients(activation::value), c11, c22, c12, sigma, from, to);
        expand(coefficients(activation::slope), c11, c22, c12, derivative, from, to);
    }

    /** Both sums per entry, with the coefficients of each row's variance looked up once per row. */
    @Override
    public Rows rows() {
        Coefficients values = coefficients(activation::value);
        Coefficients slopes = coefficients(activation::slope);
        return (c11, root11, c22, root22, c12, sigma, derivative, from, to) -> {
            double[] a = values.of(c11);
            double[] aSlope = slopes.of(c11);
            for (int j = from; j < to; j++) {
                double rho = Entrywise.correlation(c12[j], root11 * root22[j]);
                sigma[j] = series(a, values.of(c22[j]), rho);
                derivative[j] = series(aSlope, slopes.of(c22[j]), rho);
            }
        };
    }

    @Override
    public String toString() {
        return "HermiteDual[%s, order %d]".formatted(activation.name(), order);
    }

    private INDArray run(String what, DoubleUnaryOperator f, INDArray c11, INDArray c22, INDArray c12) {
        return Entrywise.apply("%s of the %s dual (Gauss-Hermite, order %d)".formatted(what, activation.name(), order),
                c11, c22, c12, (a, b, c, into, from, to) -> expand(coefficients(f), a, b, c, into, from, to));
    }

    /** An empty cache of the coefficients of f, for one thread. */
    private Coefficients coefficients(DoubleUnaryOperator f) {
        double[] rootWeights = rule.weights();
        for (int i = 0; i < rootWeights.length; i++) {
            rootWeights[i] = Math.sqrt(rootWeights[i]);
        }
        return new Coefficients(f, rule.nodes(), rootWeights, rule.hermiteBasis(order));
    }

    /** into[i] = sum_k a_k(c11[i]) b_k(c22[i]) rho_i^k. */
    private static void expand(Coefficients coefficients, double[] c11, double[] c22, double[] c12, double[] into,
            int from, int to) {
        for (int i = from; i < to; i++) {
            double[] a = coefficients.of(c11[i]);
            double[] b = coefficients.of(c22[i]);
            into[i] = series(a, b, Entrywise.correlation(c11[i], c22[i], c12[i]));
        }
    }

    /** sum_k a_k b_k rho^k, by Horner's rule in rho^4 on the four residues of k mod 4. */
    private static double series(double[] a, double[] b, double rho) {
        double rho2 = rho * rho;
        double rho4 = rho2 * rho2;
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        // Four independent chains: a quarter of the latency of one. The arrays are zero-padded to a multiple of 4.
        for (int k = a.length - 4; k >= 0; k -= 4) {
            s0 = s0 * rho4 + a[k] * b[k];
            s1 = s1 * rho4 + a[k + 1] * b[k + 1];
            s2 = s2 * rho4 + a[k + 2] * b[k + 2];
            s3 = s3 * rho4 + a[k + 3] * b[k + 3];
        }
        return (s0 + rho * s1) + rho2 * (s2 + rho * s3);
    }

    /** Hermite coefficients a_k(c) = E f(sqrt(c) Z) h_k(Z), k < K, per variance c, computed once per call and range. */
    private static final class Coefficients {
        private final DoubleUnaryOperator f;
        private final double[] nodes;
        private final double[] rootWeights;
        private final double[][] basis;
        private final Map<Double, double[]> byVariance = new HashMap<>();
        // The two most recent lookups (rows of c11 and columns of c22 usually repeat): no boxing, no hashing.
        private double recentVariance = Double.NaN;
        private double[] recent;
        private double olderVariance = Double.NaN;
        private double[] older;

        Coefficients(DoubleUnaryOperator f, double[] nodes, double[] rootWeights, double[][] basis) {
            this.f = f;
            this.nodes = nodes;
            this.rootWeights = rootWeights;
            this.basis = basis;
        }

        double[] of(double variance) {
            if (variance == recentVariance) {
                return recent;
            }
            double[] found;
            if (variance == olderVariance) {
                found = older;
            } else {
                found = byVariance.get(variance);
                if (found == null) {
                    if (byVariance.size() >= CACHE_LIMIT) {
                        byVariance.clear();
                    }
                    found = compute(variance);
                    byVariance.put(variance, found);
                }
            }
            olderVariance = recentVariance;
            older = recent;
            recentVariance = variance;
            recent = found;
            return found;
        }

        private double[] compute(double variance) {
            int nodeCount = nodes.length;
            int terms = basis.length;
            double scale = Math.sqrt(variance);
            double[] values = new double[nodeCount];
            for (int i = 0; i < nodeCount; i++) {
                values[i] = rootWeights[i] * f.applyAsDouble(scale * nodes[i]);
            }
            double[] coefficients = new double[(terms + 3) / 4 * 4];    // zero-padded: see expand
            for (int k = 0; k < terms; k++) {
                double[] row = basis[k];
                double sum = 0;
                for (int i = 0; i < nodeCount; i++) {
                    sum += row[i] * values[i];
                }
                coefficients[k] = sum;
            }
            return coefficients;
        }
    }
}
