package io.thetalazy.core.train;

import static io.thetalazy.core.error.ErrorCode.INVALID_CONFIG;

import io.thetalazy.core.error.FrameworkException;

/**
 * Stopping and recording settings of full-batch gradient descent.
 *
 * @param maxSteps step budget (status {@code step-budget})
 * @param lossTolerance stop with {@code converged} once R_S falls below it
 * @param timeBudgetSeconds wall-clock budget, 0 for none (status {@code time-budget})
 * @param recordEvery record observables every k steps (and at the first and last)
 * @param divergenceFactor the run has diverged when R_S exceeds this multiple of R_S(0)
 * @param maxRestarts on divergence, restart from the initial parameters with the learning rate halved, at most this
 *     many times (0: stop with status {@code diverged}), as LXMZ's code does
 */
public record TrainingConfig(long maxSteps, double lossTolerance, double timeBudgetSeconds, int recordEvery,
        double divergenceFactor, int maxRestarts) {
    /**
     * Checks the ranges.
     *
     * @throws io.thetalazy.core.error.FrameworkException {@code INVALID_CONFIG} for a value out of its range
     */
    public TrainingConfig {
        if (maxSteps < 0) {
            throw new FrameworkException(INVALID_CONFIG, "maxSteps must be non-negative, found " + maxSteps);
        }
        if (!(lossTolerance >= 0)) {
            throw new FrameworkException(INVALID_CONFIG, "lossTolerance must be non-negative, found " + lossTolerance);
        }
        if (!(timeBudgetSeconds >= 0)) {
            throw new FrameworkException(INVALID_CONFIG, "timeBudgetSeconds must be non-negative, found " + timeBudgetSeconds);
        }
        if (recordEvery < 1) {
            throw new FrameworkException(INVALID_CONFIG, "recordEvery must be at least 1, found " + recordEvery);
        }
        if (!(divergenceFactor > 1)) {
            throw new FrameworkException(INVALID_CONFIG, "divergenceFactor must exceed 1, found " + divergenceFactor);
        }
        if (maxRestarts < 0) {
            throw new FrameworkException(INVALID_CONFIG, "maxRestarts must be non-negative, found " + maxRestarts);
        }
    }

    /**
     * The run config's defaults: 10000 steps, loss tolerance 1e-6, no time budget, recording every 10 steps, divergence
     * at 1e6 R_S(0), no restarts.
     */
    public static TrainingConfig defaults() {
        return new TrainingConfig(10_000, 1e-6, 0, 10, 1e6, 0);
    }

    /** The same with another step budget. */
    public TrainingConfig withMaxSteps(long steps) {
        return new TrainingConfig(steps, lossTolerance, timeBudgetSeconds, recordEvery, divergenceFactor, maxRestarts);
    }

    /** The same with another loss tolerance. */
    public TrainingConfig withLossTolerance(double tolerance) {
        return new TrainingConfig(maxSteps, tolerance, timeBudgetSeconds, recordEvery, divergenceFactor, maxRestarts);
    }

    /** The same, recording every {@code every} steps. */
    public TrainingConfig withRecordEvery(int every) {
        return new TrainingConfig(maxSteps, lossTolerance, timeBudgetSeconds, every, divergenceFactor, maxRestarts);
    }

    /** The same with another number of divergence restarts. */
    public TrainingConfig withMaxRestarts(int restarts) {
        return new TrainingConfig(maxSteps, lossTolerance, timeBudgetSeconds, recordEvery, divergenceFactor, restarts);
    }
}
