package io.thetalazy.core.train;

import java.util.List;

/**
 * The outcome of a run (docs/formats.md#summary): status, steps taken, final loss and RD (total and per layer),
 * wall time, the learning rate at step 0 and at the end, the number of divergence restarts, the initial output
 * scale (RMS of f at init), and a message when the run failed.
 *
 * @param status how the run ended
 * @param steps steps taken
 * @param finalLoss R_S at the end
 * @param finalRd the total RD at the end
 * @param finalLayerRd RD_1 .. RD_{L+1} at the end
 * @param wallSeconds wall time of the run
 * @param initialLearningRate the base step at step 0
 * @param finalLearningRate the base step at the end
 * @param restarts divergence restarts taken
 * @param initialOutputScale the RMS of f at initialization
 * @param initialLoss R_S(0)
 * @param message why the run failed; empty when it did not
 */
public record TrainingResult(Status status, long steps, double finalLoss, double finalRd, List<Double> finalLayerRd,
        double wallSeconds, double initialLearningRate, double finalLearningRate, int restarts,
        double initialOutputScale, double initialLoss, String message) {
    /** Copies the list. */
    public TrainingResult {
        finalLayerRd = List.copyOf(finalLayerRd);
    }
}
