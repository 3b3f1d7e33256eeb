package io.thetalazy.core.train;

/** Progress callbacks of a training run (metrics writers, progress bars); all methods optional. */
public interface TrainingListener {
    /** A listener that ignores every callback. */
    TrainingListener NONE = new TrainingListener() {};

    /** Training starts (or restarts) with this base step at step 0. */
    default void onStart(double initialLearningRate) {}

    /** A recorded row; rows arrive in step order. */
    default void onRecord(MetricsRow row) {}

    /** A diverged attempt is discarded: the run restarts from step 0 with a halved learning rate. */
    default void onRestart(int restart, String reason) {}

    /** Called every step with the current loss (cheap). */
    default void onStep(long step, long maxSteps, double loss) {}

    /** After each step, with the parameters already updated: what a checkpoint needs besides them. */
    default void onProgress(TrainingProgress progress) {}
}
