package io.thetalazy.core.kernel;

import static io.thetalazy.core.error.ErrorCode.INVALID_ARGUMENT;
import static io.thetalazy.core.error.ErrorCode.NON_FINITE_VALUE;
import static java.util.Objects.requireNonNull;

import io.thetalazy.core.error.FrameworkException;
import io.thetalazy.core.layer.Activation;
import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Gaussian duals of the activations (docs/theory.md#activations-and-gaussian-duals): closed forms for relu, leaky-relu,
 * linear and erf, and a Gauss-Hermite quadrature for every other activation. For (u, v) ~ N(0, [[c11, c12], [c12,
 * c22]]) each dual gives {@code Sigma = E phi(u) phi(v)} and {@code D = E phi'(u) phi'(v)} entry by entry ([JGH],
 * [ADH+] section 3 and appendix; neural-tangents {@code stax}).
 *
 * <p>Common to all of them: the arguments are arrays of one shape (any rank: [n1, n2] or spatial covariances), the
 * results are fresh float64 arrays of that shape and the arguments are left untouched; the correlation
 * rho = c12 / sqrt(c11 c22) is clipped to [-1, 1] (round-off in computed covariances) and taken as 0 when a variance is
 * 0; NaN or infinite arguments, negative variances or a non-finite result throw
 * {@code FrameworkException(NON_FINITE_VALUE)} naming the entry, and arguments of different shapes throw
 * {@code SHAPE_MISMATCH}. The closed forms run as one plain Java loop over the doubles, split across the cores: about
 * 35 ns of CPU time per entry (relu Sigma on 2000 x 2000: 0.14 s of CPU time, against 0.68 s for the same formula as a
 * chain of whole-array ND4J ops). Near rho = +-1, D of relu and leaky-relu is ill-conditioned in its arguments: a
 * change delta of rho moves it by about sqrt(2 delta) / (2 pi); the arc-cosine duals take the angle from the
 * covariances (see {@code LeakyReluDual}), so a diagonal entry (c11 = c22 = c12) has correlation exactly 1 and its D is
 * exactly (1 + a^2) / 2.
 */
public final class Duals {
    private Duals() {}

    /**
     * Default order of {@link #quadrature}. Measured against order 240 for variances in [0.5, 1.5] and correlations
     * in [-1, 1]: tanh Sigma within 2e-12 and D within 1.5e-10 (at unit variances 5e-15 and 7e-13); sigmoid, gelu and
     * softplus within 1e-15. Order 60 gives 6e-9 and 3e-7 for tanh. Larger variances need more: tanh D at variance 4
     * is within 5e-8 at order 120.
     */
    public static final int DEFAULT_ORDER = 120;

    private static final GaussianDual RELU = new LeakyReluDual("relu", 0);
    private static final GaussianDual LINEAR = new LinearDual();
    private static final GaussianDual ERF = new ErfDual();

    /**
     * The arc-cosine kernel of degree 1 (Cho and Saul 2009; [ADH+] appendix, neural-tangents {@code stax.Relu}):
     * {@code Sigma = sqrt(c11 c22) (sin t + (pi - t) cos t) / (2 pi)}, {@code D = (pi - t) / (2 pi)},
     * {@code t = arccos(rho)}.
     */
    public static GaussianDual relu() {
        return RELU;
    }

    /**
     * The dual of phi(z) = z for z > 0, a z otherwise (neural-tangents {@code stax.LeakyRelu}):
     * {@code Sigma = sqrt(c11 c22) / (2 pi) [(1 + a^2)(sin t + (pi - t) cos t) - 2a (sin t - t cos t)]},
     * {@code D = (1 + a^2)(pi - t) / (2 pi) + a t / pi}, {@code t = arccos(rho)}; a = 0 is relu, a = 1 is linear.
     *
     * @param slope the negative slope a, finite
     */
    public static GaussianDual leakyRelu(double slope) {
        if (!Double.isFinite(slope)) {
            throw new FrameworkException(NON_FINITE_VALUE, "leaky-relu slope must be finite, found " + slope);
        }
        return new LeakyReluDual("leaky-relu(" + slope + ")", slope);
    }

    /** The dual of phi(z) = z: {@code Sigma = c12}, {@code D = 1}. */
    public static GaussianDual linear() {
        return LINEAR;
    }

    /**
     * The dual of phi = erf (Williams 1997; neural-tangents {@code stax.Erf}):
     * {@code Sigma = (2 / pi) arcsin(2 c12 / sqrt((1 + 2 c11)(1 + 2 c22)))},
     * {@code D = (4 / pi) / sqrt((1 + 2 c11)(1 + 2 c22) - 4 c12^2)}.
     */
    public static GaussianDual erf() {
        return ERF;
    }

    /**
     * The dual of any activation by Gauss-Hermite quadrature of order K, through the Hermite (Mehler) expansion
     * {@code E phi(u) phi(v) = sum_{k<K} a_k(c11) a_k(c22) rho^k}, {@code a_k(c) = E phi(sqrt(c) Z) h_k(Z)}, h_k the
     * orthonormal Hermite polynomials, each a_k computed by the 2K-point Gauss-Hermite rule; D likewise with phi'
     * ({@link Activation#slope}). See {@link HermiteDual} for its accuracy against the tensor-product rule and its cost
     * (2K^2 operations per distinct variance, at most K per entry).
     *
     * @param order K, 1 to {@code GaussHermite.MAX_ORDER / 2}; the error falls like exp(-c sqrt K) for tanh, sigmoid
     *     and softplus (see {@link #DEFAULT_ORDER})
     */
    public static GaussianDual quadrature(Activation activation, int order) {
        requireNonNull(activation, "activation is null");
        if (order < 1 || 2 * order > GaussHermite.MAX_ORDER) {
            throw new FrameworkException(INVALID_ARGUMENT, "quadrature order must be in [1, %d], found %d"
                    .formatted(GaussHermite.MAX_ORDER / 2, order));
        }
        return new HermiteDual(activation, order, GaussHermite.of(2 * order));
    }

    /** A dual computed by a loop over the entries (see {@link Entrywise}). */
    private interface EntrywiseDual extends GaussianDual {
        String name();

        void sigma(double[] c11, double[] c22, double[] c12, double[] into, int from, int to);

        void derivative(double[] c11, double[] c22, double[] c12, double[] into, int from, int to);

        @Override
        default INDArray sigma(INDArray c11, INDArray c22, INDArray c12) {
            return Entrywise.apply("Sigma of the " + name() + " dual", c11, c22, c12, this::sigma);
        }

        @Override
        default INDArray derivative(INDArray c11, INDArray c22, INDArray c12) {
            return Entrywise.apply("D of the " + name() + " dual", c11, c22, c12, this::derivative);
        }

        @Override
        default KernelRule rule() {
            return KernelRule.CLOSED_FORM;
        }

        @Override
        default boolean hasRows() {
            return true;
        }

        @Override
        default void both(double[] c11, double[] c22, double[] c12, double[] sigma, double[] derivative, int from,
                int to) {
            sigma(c11, c22, c12, sigma, from, to);
            derivative(c11, c22, c12, derivative, from, to);
        }
    }

    /**
     * The arc-cosine duals, one entry function shared by every form (entrywise, both, rows) so they agree bit for bit.
     * The angle t between the two Gaussians comes from the covariances rather than from arccos of a rounded
     * correlation: with s = sqrt(c11) sqrt(c22) and the determinant det = c11 c22 - c12^2 computed without
     * cancellation (Kahan's fused difference of products), t = arccos(c12 / s) for |c12| < s/2, and otherwise
     * t = 2 arcsin(sqrt(z)) with the half-versine z = sin^2(t/2) = det / (2 s (s + |c12|)) (mirrored for c12 < 0).
     * On the diagonal (c11 = c22 = c12) det is 0, or within the rounding of s and taken as 0 (1 - rho^2 within a few
     * units of roundoff is |rho| = 1, as the clipping of rho was before), so t is exactly 0: the correlation is 1 by
     * construction. Near the diagonal t keeps its relative precision, where arccos(c12 / s) loses half the digits.
     * Sigma and D read s sin t = sqrt(det) and s cos t = c12 (clipped to +-s) directly.
     */
    private record LeakyReluDual(String name, double slope) implements EntrywiseDual {
        private static final double INV_TWO_PI = 1 / (2 * Math.PI);
        private static final double HALF_PI = Math.PI / 2;
        /** det / (c11 c22) = 1 - rho^2 below 8 units of roundoff is |rho| = 1: the arguments' own rounding. */
        private static final double ROUND_OFF = 0x1p-50;

        /**
         * Writes Sigma into {@code sigma[i]} and D into {@code derivative[i]} (either may be null).
         *
         * @param scale {@code Math.sqrt(c11) * Math.sqrt(c22)}, as the rows form keeps the square roots
         */
        private void entry(double c11, double c22, double c12, double scale, double[] sigma, double[] derivative,
                int i) {
            double t;
            double sine;                             // sqrt(c11 c22) sin t
            double cosine;                           // sqrt(c11 c22) cos t: c12 clipped to +-scale (round-off)
            if (scale == 0) {                        // a variance 0: correlation 0
                t = HALF_PI;
                sine = 0;
                cosine = 0;
            } else {
                cosine = Math.max(-scale, Math.min(scale, c12));
                double square = cosine * cosine;
                double determinant = Math.fma(c11, c22, -square) + Math.fma(-cosine, cosine, square);
                if (determinant <= ROUND_OFF * scale * scale) {
                    determinant = 0;                 // |rho| = 1 up to the rounding of the arguments
                }
                sine = Math.sqrt(determinant);
                double magnitude = Math.abs(cosine);
                if (magnitude < 0.5 * scale) {
                    t = Arccos.acos(cosine / scale);
                } else {
                    double z = determinant / (2 * scale * (scale + magnitude));
                    t = cosine > 0 ? Arccos.fromHalfVersine(z) : Math.PI - Arccos.fromHalfVersine(z);
                }
            }
            if (sigma != null) {
                double even = 1 + slope * slope;
                double odd = 2 * slope;
                sigma[i] = INV_TWO_PI * (even * (sine + (Math.PI - t) * cosine) - odd * (sine - t * cosine));
            }
            if (derivative != null) {
                derivative[i] = (1 + slope * slope) * INV_TWO_PI * (Math.PI - t) + slope / Math.PI * t;
            }
        }

        @Override
        public void sigma(double[] c11, double[] c22, double[] c12, double[] into, int from, int to) {
            for (int i = from; i < to; i++) {
                entry(c11[i], c22[i], c12[i], Math.sqrt(c11[i]) * Math.sqrt(c22[i]), into, null, i);
            }
        }

        @Override
        public void derivative(double[] c11, double[] c22, double[] c12, double[] into, int from, int to) {
            for (int i = from; i < to; i++) {
                entry(c11[i], c22[i], c12[i], Math.sqrt(c11[i]) * Math.sqrt(c22[i]), null, into, i);
            }
        }

        @Override
        public void both(double[] c11, double[] c22, double[] c12, double[] sigma, double[] derivative, int from,
                int to) {
            for (int i = from; i < to; i++) {
                entry(c11[i], c22[i], c12[i], Math.sqrt(c11[i]) * Math.sqrt(c22[i]), sigma, derivative, i);
            }
        }

        /** {@link #both} along a row, with sqrt(c11) sqrt(c22) from the square roots taken once per row and column. */
        @Override
        public Rows rows() {
            return (c11, root11, c22, root22, c12, sigma, derivative, from, to) -> {
                for (int j = from; j < to; j++) {
                    entry(c11, c22[j], c12[j], root11 * root22[j], sigma, derivative, j);
                }
            };
        }
    }

    private record LinearDual() implements EntrywiseDual {
        @Override
        public String name() {
            return "linear";
        }

        @Override
        public void sigma(double[] c11, double[] c22, double[] c12, double[] into, int from, int to) {
            System.arraycopy(c12, from, into, from, to - from);
        }

        @Override
        public void derivative(double[] c11, double[] c22, double[] c12, double[] into, int from, int to) {
            Arrays.fill(into, from, to, 1);
        }

        @Override
        public Rows rows() {
            return (c11, root11, c22, root22, c12, sigma, derivative, from, to) -> {
                System.arraycopy(c12, from, sigma, from, to - from);
                Arrays.fill(derivative, from, to, 1);
            };
        }
    }

    private record ErfDual() implements EntrywiseDual {
        private static final double TWO_OVER_PI = 2 / Math.PI;
        private static final double FOUR_OVER_PI = 4 / Math.PI;

        @Override
        public String name() {
            return "erf";
        }

        @Override
        public void sigma(double[] c11, double[] c22, double[] c12, double[] into, int from, int to) {
            for (int i = from; i < to; i++) {
                double covariance = clippedCovariance(c11[i], c22[i], c12[i]);
                double norm = Math.sqrt((1 + 2 * c11[i]) * (1 + 2 * c22[i]));
                into[i] = TWO_OVER_PI * Math.asin(2 * covariance / norm);
            }
        }

        @Override
        public void derivative(double[] c11, double[] c22, double[] c12, double[] into, int from, int to) {
            for (int i = from; i < to; i++) {
                double covariance = clippedCovariance(c11[i], c22[i], c12[i]);
                // (1 + 2 c11)(1 + 2 c22) - 4 c12^2 >= 1 + 2 c11 + 2 c22 once |c12| <= sqrt(c11 c22).
                double determinant = 1 + 2 * c11[i] + 2 * c22[i] + 4 * (c11[i] * c22[i] - covariance * covariance);
                into[i] = FOUR_OVER_PI / Math.sqrt(Math.max(determinant, 1 + 2 * c11[i] + 2 * c22[i]));
            }
        }

        /** Both with sqrt(c11) sqrt(c22) computed once per entry and the terms in c11 once per row. */
        @Override
        public Rows rows() {
            return (c11, root11, c22, root22, c12, sigma, derivative, from, to) -> {
                double first = 1 + 2 * c11;
                for (int j = from; j < to; j++) {
                    double bound = root11 * root22[j];
                    double covariance = Math.max(-bound, Math.min(bound, c12[j]));
                    sigma[j] = TWO_OVER_PI * Math.asin(2 * covariance / Math.sqrt(first * (1 + 2 * c22[j])));
                    double floor = first + 2 * c22[j];
                    double determinant = floor + 4 * (c11 * c22[j] - covariance * covariance);
                    derivative[j] = FOUR_OVER_PI / Math.sqrt(Math.max(determinant, floor));
                }
            };
        }

        private static double clippedCovariance(double c11, double c22, double c12) {
            double bound = Math.sqrt(c11) * Math.sqrt(c22);
            return Math.max(-bound, Math.min(bound, c12));
        }
    }
}
