package io.thetalazy.kernels.predict;

import static io.thetalazy.core.error.ErrorCode.INVALID_CONFIG;

import io.thetalazy.core.error.FrameworkException;
import io.thetalazy.core.train.StepSize;
import io.thetalazy.core.train.TrainingState;
import io.thetalazy.kernels.empirical.EmpiricalKernels;
import io.thetalazy.kernels.empirical.TangentKernels;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Step sizes set from the empirical training kernel (docs/theory.md#step-sizes): GD on the linearized model is stable
 * for eta lambda_max(Theta_train) / n &lt; 2 and decays monotonically at the rate bound for a fraction c &lt;= 1 of n /
 * lambda_max.
 * <ul>
 *   <li>{@code auto}: eta = c n / lambda_max(Theta_train(0)), computed once at initialization (c defaults to 1);</li>
 *   <li>{@code adaptive}: the same fraction c of the current bound n / lambda_max(Theta_train(t)), recomputed every k
 *       steps (every step when n &lt;= {@value #SMALL_SAMPLE}, else every {@value #DEFAULT_INTERVAL}, unless k is
 *       given): prefer it, with c &lt;= 0.5, where the kernel moves (far from the lazy regime).</li>
 * </ul>
 * Each evaluation computes the full empirical kernel of the n training samples (two contraction passes).
 */
public final class StepSizes {
    /** Up to this many samples {@code adaptive} recomputes every step by default. */
    public static final int SMALL_SAMPLE = 128;
    /** The default recomputation interval of {@code adaptive} above {@link #SMALL_SAMPLE} samples. */
    public static final int DEFAULT_INTERVAL = 10;

    private StepSizes() {}

    /** {@code auto} with c = 1. */
    public static StepSize auto() {
        return auto(1);
    }

    /** {@code auto}: eta = c n / lambda_max(Theta_train(0)). */
    public static StepSize auto(double fraction) {
        return new Auto(fraction);
    }

    /** {@code adaptive} with the default interval (every step for small n). */
    public static StepSize adaptive(double fraction) {
        return new Adaptive(fraction, 0);
    }

    /** {@code adaptive}, recomputed every {@code interval} steps. */
    public static StepSize adaptive(double fraction, int interval) {
        if (interval < 1) {
            throw new FrameworkException(INVALID_CONFIG, "the adaptive step's interval must be at least 1, found "
                    + interval);
        }
        return new Adaptive(fraction, interval);
    }

    /** n / lambda_max(Theta) for a training kernel [n, n]: the largest step with eta lambda_max / n = 1. */
    public static double bound(INDArray trainingKernel) {
        double lambdaMax = Spectra.lambdaMax(trainingKernel);
        if (!(lambdaMax > 0)) {
            throw new FrameworkException(INVALID_CONFIG, "the training kernel has no positive eigenvalue "
                    + "(lambda_max = %s): the step cannot be set from it; use a fixed learning rate".formatted(lambdaMax));
        }
        return trainingKernel.size(0) / lambdaMax;
    }

    /**
     * n / lambda_max(Theta_train) at the state's current parameters; on the state's forward pass when it has one
     * (no forward pass of its own).
     */
    public static double bound(TrainingState state) {
        EmpiricalKernels kernels = EmpiricalKernels.of(state.network());
        TangentKernels tangent = state.forward() == null ? kernels.compute(state.params(), state.x())
                : kernels.compute(state.params(), state.forward());
        return bound(tangent.train());
    }

    private static void checkFraction(double fraction) {
        if (!(fraction > 0) || !Double.isFinite(fraction)) {
            throw new FrameworkException(INVALID_CONFIG, "the step fraction c must be positive and finite, found "
                    + fraction);
        }
    }

    /**
     * eta = c n / lambda_max(Theta_train(0)), fixed for the run.
     *
     * @param fraction c; positive and finite
     */
    public record Auto(double fraction) implements StepSize {
        /**
         * Checks that c is positive and finite.
         *
         * @throws io.thetalazy.core.error.FrameworkException {@code INVALID_CONFIG} otherwise
         */
        public Auto {
            checkFraction(fraction);
        }

        @Override
        public String mode() {
            return "auto";
        }

        @Override
        public double initial(TrainingState state) {
            return fraction * bound(state);
        }

        @Override
        public StepSize halved() {
            return new Auto(fraction / 2);
        }
    }

    /**
     * eta_t = c n / lambda_max(Theta_train(t)), recomputed when the step count is a multiple of the interval.
     *
     * @param fraction c; positive and finite
     * @param interval k; 0 chooses every step for n &lt;= {@value #SMALL_SAMPLE}, else {@value #DEFAULT_INTERVAL}
     */
    public record Adaptive(double fraction, int interval) implements StepSize {
        /**
         * Checks that c is positive and finite and the interval non-negative.
         *
         * @throws io.thetalazy.core.error.FrameworkException {@code INVALID_CONFIG} otherwise
         */
        public Adaptive {
            checkFraction(fraction);
            if (interval < 0) {
                throw new FrameworkException(INVALID_CONFIG, "the adaptive step's interval must be non-negative, found "
                        + interval);
            }
        }

        @Override
        public String mode() {
            return "adaptive";
        }

        /** The interval used for n training samples. */
        public int interval(long samples) {
            if (interval > 0) {
                return interval;
            }
            return samples <= SMALL_SAMPLE ? 1 : DEFAULT_INTERVAL;
        }

        @Override
        public double initial(TrainingState state) {
            return fraction * bound(state);
        }

        @Override
        public double next(TrainingState state, double current) {
            long step = state.step();
            if (step == 0 || step % interval(state.x().size(0)) != 0) {
                return current;
            }
            return fraction * bound(state);
        }

        @Override
        public StepSize halved() {
            return new Adaptive(fraction / 2, interval);
        }
    }
}
