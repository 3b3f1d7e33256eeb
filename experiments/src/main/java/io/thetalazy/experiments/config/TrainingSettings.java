package io.thetalazy.experiments.config;

import static java.util.Objects.requireNonNull;

import io.thetalazy.core.train.TrainingConfig;

/**
 * The {@code training} section of a run config.
 *
 * @param learningRate a number, {@code auto} or {@code adaptive}
 * @param stepFraction c of {@code auto}/{@code adaptive}: eta = c n / lambda_max(Theta_train) (stable below 2)
 * @param adaptiveEvery steps between recomputations of the adaptive step
 * @param maxSteps step budget
 * @param lossTolerance stop when R_S falls below it
 * @param timeBudgetSeconds wall-clock budget, 0 for none
 * @param recordEvery steps between recorded metric rows
 * @param divergenceFactor diverged once R_S exceeds this multiple of R_S(0)
 * @param maxRestarts restarts with the step halved after a divergence (LXMZ's policy), 0 to stop instead
 * @param kernelEvery steps between the kernel observables (drift, lambdaMin) columns, 0 for off
 * @param checkpointSteps steps between checkpoints (parameters and progress, for {@code train --resume}), 0 for none
 *     by count
 * @param checkpointSeconds wall-clock seconds between checkpoints, 0 for none by time
 * @param saveParams whether the run folder keeps params/init and params/final; without them the initial parameters
 *     are drawn again from the config's seed when needed (a cell that only measures the initialization, at widths
 *     whose weights take gigabytes, keeps none)
 */
public record TrainingSettings(LearningRate learningRate, double stepFraction, int adaptiveEvery, long maxSteps,
        double lossTolerance, double timeBudgetSeconds, int recordEvery, double divergenceFactor, int maxRestarts,
        int kernelEvery, long checkpointSteps, double checkpointSeconds, boolean saveParams) {
    public TrainingSettings {
        requireNonNull(learningRate, "learningRate is null");
        if (!(stepFraction > 0)) {
            throw new io.thetalazy.core.error.FrameworkException(io.thetalazy.core.error.ErrorCode.INVALID_CONFIG,
                    "training.stepFraction must be positive, found " + stepFraction);
        }
        if (adaptiveEvery < 1) {
            throw new io.thetalazy.core.error.FrameworkException(io.thetalazy.core.error.ErrorCode.INVALID_CONFIG,
                    "training.adaptiveEvery must be at least 1, found " + adaptiveEvery);
        }
        if (kernelEvery < 0) {
            throw new io.thetalazy.core.error.FrameworkException(io.thetalazy.core.error.ErrorCode.INVALID_CONFIG,
                    "training.kernelEvery must be non-negative, found " + kernelEvery);
        }
        if (checkpointSteps < 0) {
            throw new io.thetalazy.core.error.FrameworkException(io.thetalazy.core.error.ErrorCode.INVALID_CONFIG,
                    "training.checkpointSteps must be non-negative, found " + checkpointSteps);
        }
        if (!(checkpointSeconds >= 0)) {
            throw new io.thetalazy.core.error.FrameworkException(io.thetalazy.core.error.ErrorCode.INVALID_CONFIG,
                    "training.checkpointSeconds must be non-negative, found " + checkpointSeconds);
        }
        // the stopping settings are validated by TrainingConfig
        new TrainingConfig(maxSteps, lossTolerance, timeBudgetSeconds, recordEvery, divergenceFactor, maxRestarts);
    }

    public static TrainingSettings defaults() {
        return new TrainingSettings(LearningRate.AUTO, 0.5, 1, 10_000, 1e-6, 0, 10, 1e6, 0, 0, 0, 300, true);
    }

    public TrainingConfig toTrainingConfig() {
        return new TrainingConfig(maxSteps, lossTolerance, timeBudgetSeconds, recordEvery, divergenceFactor, maxRestarts);
    }
}
