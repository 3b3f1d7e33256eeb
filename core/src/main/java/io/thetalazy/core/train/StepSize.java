package io.thetalazy.core.train;

/**
 * The base step eta of gradient descent: {@code fixed} here; {@code auto} and {@code adaptive}, which need the
 * empirical tangent kernel, live in the kernels module.
 */
public interface StepSize {
    /** {@code fixed}, {@code auto} or {@code adaptive} (card.json's learningRateMode). */
    String mode();

    /** The step at step 0. */
    double initial(TrainingState state);

    /** The step to take at {@code state.step()}, given the one used before; called every step. */
    default double next(TrainingState state, double current) {
        return current;
    }

    /** A new policy with every step size halved (the divergence restart). */
    StepSize halved();

    /** A constant base step eta. */
    static StepSize fixed(double learningRate) {
        return new Fixed(learningRate);
    }

    /**
     * A constant base step.
     *
     * @param learningRate eta; positive and finite
     */
    record Fixed(double learningRate) implements StepSize {
        /** Checks that the step is positive and finite. */
        public Fixed {
            if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
                throw new io.thetalazy.core.error.FrameworkException(io.thetalazy.core.error.ErrorCode.INVALID_CONFIG,
                        "learning rate must be positive and finite, found " + learningRate);
            }
        }

        @Override
        public String mode() {
            return "fixed";
        }

        @Override
        public double initial(TrainingState state) {
            return learningRate;
        }

        @Override
        public StepSize halved() {
            return new Fixed(learningRate / 2);
        }
    }
}
