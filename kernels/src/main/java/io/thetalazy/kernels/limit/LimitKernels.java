package io.thetalazy.kernels.limit;

import static io.thetalazy.core.error.ErrorCode.INVALID_ARGUMENT;
import static io.thetalazy.core.error.ErrorCode.INVALID_CONFIG;
import static io.thetalazy.core.error.ErrorCode.INVALID_KERNEL;
import static io.thetalazy.core.error.ErrorCode.NON_FINITE_VALUE;
import static io.thetalazy.core.error.ErrorCode.NO_KERNEL_RULE;
import static java.util.Objects.requireNonNull;

import io.thetalazy.core.error.FrameworkException;
import io.thetalazy.core.init.Initializers;
import io.thetalazy.core.kernel.KernelRule;
import io.thetalazy.core.layer.KernelLimit;
import io.thetalazy.core.layer.Network;
import io.thetalazy.core.param.Parametrization;
import io.thetalazy.core.param.Regime;
import io.thetalazy.kernels.predict.Spectra;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The infinite-width kernels of a network at initialization (docs/theory.md#kernel-recursions), from {@link
 * Network#limit}: the layers' composed kernel rules. Non-finite or non-positive-semidefinite results are reported as
 * errors, not returned silently: every matrix must be finite; for one input set each must be symmetric (to {@link
 * #SYMMETRY_TOLERANCE}, relative) with lambda_min >= -tolerance * lambda_max. A layer without a rule fails with
 * NO_KERNEL_RULE, a network without a normalized view (a gain sigma_l that depends on m) with INVALID_CONFIG. Limits
 * that do not fit in memory are computed in blocks of input pairs ({@link Network#limit}); when not even one pair fits
 * the error is INSUFFICIENT_MEMORY, with what is needed and what to do.
 */
public final class LimitKernels {
    /** Largest accepted |K - K^T|_F / |K|_F. */
    public static final double SYMMETRY_TOLERANCE = 1e-10;
    /**
     * Default largest accepted -lambda_min / lambda_max (quadrature duals are accurate to about 1e-9,
     * docs/theory.md#kernel-recursions).
     */
    public static final double DEFAULT_TOLERANCE = 1e-8;

    private final Network network;
    private final double tolerance;

    private LimitKernels(Network network, double tolerance) {
        this.network = requireNonNull(network, "network is null");
        if (!(tolerance >= 0) || !(tolerance < 1)) {
            throw new FrameworkException(INVALID_ARGUMENT, "tolerance must be in [0, 1), found " + tolerance);
        }
        this.tolerance = tolerance;
    }

    /** The limits of a network, with the default tolerance {@value #DEFAULT_TOLERANCE} for negative eigenvalues. */
    public static LimitKernels of(Network network) {
        return new LimitKernels(network, DEFAULT_TOLERANCE);
    }

    /** The same with another relative tolerance for negative eigenvalues (also the threshold for lambda_S = 0). */
    public LimitKernels withTolerance(double relativeTolerance) {
        return new LimitKernels(network, relativeTolerance);
    }

    /** The symmetric limit between x and itself, with lambda_S. */
    public KernelLimit compute(INDArray x) {
        return compute(x, null);
    }

    /**
     * Sigma^(L) and K^[1..L+1] between x1 [n1, ...] and x2 [n2, ...].
     *
     * @param x2 the second input set, or null (or x1 itself) for the symmetric limit of x1
     */
    public KernelLimit compute(INDArray x1, INDArray x2) {
        boolean symmetric = x2 == null || x2 == x1;
        INDArray second = symmetric ? x1 : x2;
        Parametrization parametrization = Parametrization.of(network);
        if (parametrization.regime() == Regime.NO_NORMALIZED_VIEW) {
            throw new FrameworkException(INVALID_CONFIG, "K^[l] is not defined for this network: "
                    + String.join("; ", parametrization.notes()));
        }
        if (network.body().kernelRule() == KernelRule.NONE) {
            throw new FrameworkException(NO_KERNEL_RULE, "a layer of this %s network has no infinite-width kernel "
                    .formatted(network.spec().architecture()) + "rule: estimate G^[l] with MonteCarloKernels instead");
        }
        KernelLimit state = network.limit(x1, second);
        int expected = network.trainables().size();
        if (state.layerCount() != expected) {
            throw new IllegalStateException("the kernel rules produced %d components K^[l], the network has %d "
                    .formatted(state.layerCount(), expected) + "trainable layers");
        }
        List<String> notes = new ArrayList<>();
        if (!network.spec().initializer().name().equals(Initializers.GAUSSIAN.name())) {
            notes.add("Gaussian-first-layer approximation: the first layer's weights are %s, so its pre-activations "
                    .formatted(network.spec().initializer().name())
                    + "are not Gaussian at fixed d (docs/theory.md#non-gaussian-first-layer)");
        }
        requireFinite(state.nngp(), "the NNGP Sigma^(L)");
        for (int l = 1; l <= expected; l++) {
            requireFinite(state.layer(l), "K^[%d]".formatted(l));
        }
        OptionalDouble lambdaS = OptionalDouble.empty();
        if (symmetric) {
            double largest = 0;
            double smallest = Double.POSITIVE_INFINITY;
            requirePositiveSemidefinite(state.nngp(), "the NNGP Sigma^(L)");
            for (int l = 1; l <= expected; l++) {
                double[] values = requirePositiveSemidefinite(state.layer(l), "K^[%d]".formatted(l));
                smallest = Math.min(smallest, values[0]);
                largest = Math.max(largest, values[values.length - 1]);
            }
            long n = x1.size(0);
            long d = network.spec().inputShape().size();
            if (network.spec().activation().name().equals("linear") && n > d) {
                notes.add("lambda_S = 0: no rate prediction (linear activation with n = %d > d = %d)".formatted(n, d));
            } else if (smallest <= tolerance * largest) {
                notes.add("lambda_S = 0: no rate prediction (min_l lambda_min(K^[l]) = %.3g: repeated or parallel "
                        .formatted(smallest) + "inputs, or a polynomial activation)");
            } else {
                lambdaS = OptionalDouble.of(smallest);
            }
        }
        return state.checked(lambdaS, notes);
    }

    private static void requireFinite(INDArray matrix, String name) {
        if (!Double.isFinite(matrix.sumNumber().doubleValue()) || !Double.isFinite(matrix.amaxNumber().doubleValue())) {
            throw new FrameworkException(NON_FINITE_VALUE, "%s of the infinite-width limit contains NaN or infinite "
                    .formatted(name) + "values: check the inputs' scale and the activation's dual");
        }
    }

    /** The ascending eigenvalues, after checking symmetry and lambda_min >= -tolerance * lambda_max. */
    private double[] requirePositiveSemidefinite(INDArray matrix, String name) {
        double norm = matrix.norm2Number().doubleValue();
        double asymmetry = matrix.distance2(matrix.transpose());
        if (asymmetry > SYMMETRY_TOLERANCE * norm) {
            throw new FrameworkException(INVALID_KERNEL, "%s of the infinite-width limit is not symmetric: "
                    .formatted(name) + "|K - K^T|_F / |K|_F = %.3g exceeds %s".formatted(asymmetry / norm,
                            SYMMETRY_TOLERANCE));
        }
        double[] values = Spectra.eigenvalues(matrix);
        double max = Math.max(values[values.length - 1], 0);
        if (values[0] < -tolerance * max || (max == 0 && values[0] < 0)) {
            throw new FrameworkException(INVALID_KERNEL, "%s of the infinite-width limit is not positive "
                    .formatted(name) + "semidefinite: lambda_min = %.3g < -%s lambda_max (lambda_max = %.3g); "
                    .formatted(values[0], tolerance, max) + "raise the quadrature order or check the activation's dual");
        }
        return values;
    }
}
