package io.thetalazy.core.train;

import static io.thetalazy.core.error.ErrorCode.INVALID_ARGUMENT;

import io.thetalazy.core.error.FrameworkException;

/**
 * Where a run stands after a step: everything besides the parameters that gradient descent needs to continue from
 * there bit for bit (a checkpoint, docs/formats.md#conventions). The step-size policies keep no state of their own
 * besides the current step: {@code next} reads the training state and the step in use.
 *
 * @param step steps taken
 * @param time the sum of the steps taken (metrics.csv's {@code time})
 * @param learningRate the base step in use (the one the last step took)
 * @param initialLoss R_S(0), against which divergence is judged
 * @param initialOutputScale the RMS of f at initialization
 * @param initialLearningRate the base step at step 0 of this attempt
 * @param restarts divergence restarts so far (each halved the step-size policy)
 * @param wallSeconds wall time so far (the time budget counts it)
 */
public record TrainingProgress(long step, double time, double learningRate, double initialLoss,
        double initialOutputScale, double initialLearningRate, int restarts, double wallSeconds) {
    /** Checks that the step and the restarts are non-negative. */
    public TrainingProgress {
        if (step < 0 || restarts < 0) {
            throw new FrameworkException(INVALID_ARGUMENT, "step and restarts must be non-negative, found %d and %d"
                    .formatted(step, restarts));
        }
    }
}
