package io.thetalazy.kernels.predict;

import static io.thetalazy.core.error.ErrorCode.INVALID_ARGUMENT;
import static io.thetalazy.core.error.ErrorCode.INVALID_KERNEL;
import static io.thetalazy.core.error.ErrorCode.SHAPE_MISMATCH;
import static java.util.Objects.requireNonNull;

import io.thetalazy.core.error.FrameworkException;
import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Gradient descent on the model linearized around its initialization (docs/theory.md#linearized-dynamics) [JGH; Lee et
 * al. 2019, "Wide neural networks of any depth evolve as linear models"], for a fixed symmetric training kernel Theta
 * [n, n] and base step eta, through its eigendecomposition Theta = V diag(lambda) V^T (no matrix powers or inverses):
 * <ul>
 *   <li>discrete GD: e_k = (I - eta Theta / n)^k e_0 = V diag((1 - eta lambda / n)^k) V^T e_0;</li>
 *   <li>gradient flow (t in steps): e(t) = exp(-eta Theta t / n) e_0;</li>
 *   <li>outputs on other inputs: f_test(k) = f_test(0) - Theta_test,train V diag((1 - (1 - eta lambda/n)^k)/lambda)
 *       V^T e_0, whose factors tend to eta k / n as lambda -> 0, so a singular Theta is fine;</li>
 *   <li>kernel ridge regression: (Theta + ridge I)^{-1} y.</li>
 * </ul>
 * Residuals e = f - y are columns [n, 1] (a vector [n] is accepted).
 */
public final class LinearizedDynamics {
    /** Below this |eta lambda / n| a factor uses its first-order limit (relative error about 1e-16). */
    private static final double SMALL = 1e-12;

    private final Eigensystem eigen;
    private final double eta;
    private final long n;

    private LinearizedDynamics(Eigensystem eigen, double eta) {
        this.eigen = eigen;
        this.eta = eta;
        this.n = eigen.size();
    }

    /** The linearized dynamics of a training kernel Theta_train [n, n] (symmetric) under base step eta. */
    public static LinearizedDynamics of(INDArray trainingKernel, double eta) {
        if (!(eta > 0) || !Double.isFinite(eta)) {
            throw new FrameworkException(INVALID_ARGUMENT,
                    "the base step eta must be positive and finite, found " + eta);
        }
        return new LinearizedDynamics(Spectra.eigen(trainingKernel), eta);
    }

    /** The eigendecomposition of Theta the dynamics run on. */
    public Eigensystem eigensystem() {
        return eigen;
    }

    /** The base step eta. */
    public double learningRate() {
        return eta;
    }

    /** e_k = (I - eta Theta / n)^k e_0 [n, 1]. */
    public INDArray residual(INDArray initialResidual, long steps) {
        checkSteps(steps);
        double[] lambda = eigen.values().toDoubleVector();
        double[] factors = new double[lambda.length];
        for (int i = 0; i < lambda.length; i++) {
            factors[i] = Math.pow(1 - eta * lambda[i] / n, steps);
        }
        return eigen.apply(factors, column(initialResidual, n, "the initial residual"));
    }

    /** e_k for each requested step, as rows [steps.length, n]. */
    public INDArray residuals(INDArray initialResidual, long... steps) {
        INDArray rows = Nd4j.zeros(eigen.values().dataType(), steps.length, n);
        for (int k = 0; k < steps.length; k++) {
            rows.putRow(k, residual(initialResidual, steps[k]).reshape(n));
        }
        return rows;
    }

    /** e(t) = exp(-eta Theta t / n) e_0 [n, 1] under gradient flow, t in steps (may be fractional). */
    public INDArray flowResidual(INDArray initialResidual, double time) {
        checkTime(time);
        double[] lambda = eigen.values().toDoubleVector();
        double[] factors = new double[lambda.length];
        for (int i = 0; i < lambda.length; i++) {
            factors[i] = Math.exp(-eta * lambda[i] * time / n);
        }
        return eigen.apply(factors, column(initialResidual, n, "the initial residual"));
    }

    /**
     * The linearized network's outputs on other inputs after k GD steps [n_test, 1]:
     * f_test(k) = f_test(0) - Theta_test,train V diag((1 - (1 - eta lambda/n)^k)/lambda) V^T e_0.
     *
     * @param initialOutputs f_test(0) [n_test, 1]
     * @param testTrainKernel Theta_train(x_test, x_train) [n_test, n]
     */
    public INDArray testOutputs(INDArray initialOutputs, INDArray testTrainKernel, INDArray initialResidual,
            long steps) {
        checkSteps(steps);
        double[] lambda = eigen.values().toDoubleVector();
        double[] factors = new double[lambda.length];
        for (int i = 0; i < lambda.length; i++) {
            double a = eta * lambda[i] / n;
            double q = 1 - a;
            if (Math.abs(a) < SMALL) {
                factors[i] = eta * steps / n;
            } else if (q > 0) {
                factors[i] = -Math.expm1(steps * Math.log1p(-a)) / lambda[i];
            } else {
                factors[i] = (1 - Math.pow(q, steps)) / lambda[i];
            }
        }
        return testOutputs(initialOutputs, testTrainKernel, initialResidual, factors);
    }

    /** The same under gradient flow, factors (1 - exp(-eta lambda t / n)) / lambda, t in steps. */
    public INDArray flowTestOutputs(INDArray initialOutputs, INDArray testTrainKernel, INDArray initialResidual,
            double time) {
        checkTime(time);
        double[] lambda = eigen.values().toDoubleVector();
        double[] factors = new double[lambda.length];
        for (int i = 0; i < lambda.length; i++) {
            double a = eta * lambda[i] / n;
            factors[i] = Math.abs(a) < SMALL ? eta * time / n : -Math.expm1(-a * time) / lambda[i];
        }
        return testOutputs(initialOutputs, testTrainKernel, initialResidual, factors);
    }

    private INDArray testOutputs(INDArray initialOutputs, INDArray testTrainKernel, INDArray initialResidual,
            double[] factors) {
        requireNonNull(testTrainKernel, "testTrainKernel is null");
        if (testTrainKernel.rank() != 2 || testTrainKernel.size(1) != n) {
            throw new FrameworkException(SHAPE_MISMATCH, "the test-train kernel must be [n_test, %d], found %s"
                    .formatted(n, Arrays.toString(testTrainKernel.shape())));
        }
        INDArray start = column(initialOutputs, testTrainKernel.size(0), "the initial test outputs");
        INDArray moved = eigen.apply(factors, column(initialResidual, n, "the initial residual"));
        return start.sub(testTrainKernel.mmul(moved));
    }

    /** The kernel ridge regression coefficients (Theta + ridge I)^{-1} y [n, 1] for this Theta. */
    public INDArray ridgeCoefficients(INDArray targets, double ridge) {
        double[] lambda = eigen.values().toDoubleVector();
        double largest = Math.max(Math.abs(lambda[0]), Math.abs(lambda[lambda.length - 1]));
        double[] factors = new double[lambda.length];
        for (int i = 0; i < lambda.length; i++) {
            double shifted = lambda[i] + ridge;
            if (!(shifted > 1e-14 * largest) || !(shifted > 0)) {
                throw new FrameworkException(INVALID_KERNEL,
                        "Theta + ridge I is not positive definite: lambda_min + ridge = %.3g "
                        .formatted(lambda[0] + ridge) + "(lambda_max = %.3g); use a larger ridge".formatted(largest));
            }
            factors[i] = 1 / shifted;
        }
        return eigen.apply(factors, column(targets, n, "the targets"));
    }

    /** Kernel ridge regression (Theta + ridge I)^{-1} y for a symmetric kernel Theta [n, n] and targets y [n, 1]. */
    public static INDArray ridgeCoefficients(INDArray kernel, INDArray targets, double ridge) {
        if (!(ridge >= 0) || !Double.isFinite(ridge)) {
            throw new FrameworkException(INVALID_ARGUMENT, "ridge must be non-negative and finite, found " + ridge);
        }
        return new LinearizedDynamics(Spectra.eigen(kernel), 1).ridgeCoefficients(targets, ridge);
    }

    /** Predictions Theta(x_test, x_train) alpha [n_test, 1] of ridge coefficients alpha. */
    public static INDArray ridgePredictions(INDArray testTrainKernel, INDArray coefficients) {
        return testTrainKernel.mmul(coefficients);
    }

    private static INDArray column(INDArray vector, long size, String name) {
        requireNonNull(vector, name + " is null");
        INDArray column = vector.rank() == 1 ? vector.reshape(vector.length(), 1) : vector;
        if (column.rank() != 2 || column.size(0) != size || column.size(1) != 1) {
            throw new FrameworkException(SHAPE_MISMATCH, "%s must be [%d, 1] or [%d], found %s"
                    .formatted(name, size, size, Arrays.toString(vector.shape())));
        }
        return column;
    }

    private static void checkSteps(long steps) {
        if (steps < 0) {
            throw new FrameworkException(INVALID_ARGUMENT, "steps must be non-negative, found " + steps);
        }
    }

    private static void checkTime(double time) {
        if (!(time >= 0) || !Double.isFinite(time)) {
            throw new FrameworkException(INVALID_ARGUMENT, "time must be non-negative and finite, found " + time);
        }
    }
}
