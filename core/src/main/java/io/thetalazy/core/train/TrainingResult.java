package io.thetalazy.core.train;

import java.util.List;

/**
 * The outcome of a run (docs/formats.md#summary): status, steps taken, final loss and RD (total and per layer),
 * wall time, the learning rate at step 0 and at the end, the number of divergence restarts, the initial output
 * scale (RMS of f at init), and a message when the run failed.
 */
public record TrainingResult(Status status, long steps, double finalLoss, double finalRd, List<Double> finalLayerRd,
        double wallSeconds, double initialLearningRate, double finalLearningRate, int restarts,
        double initialOutputScale, double initialLoss, String message) {
    public TrainingResult {
        finalLayerRd = List.copyOf(finalLayerRd);
    }
}
