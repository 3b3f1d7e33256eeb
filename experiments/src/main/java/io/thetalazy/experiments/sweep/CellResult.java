package io.thetalazy.experiments.sweep;

import static java.util.Objects.requireNonNull;

import io.thetalazy.core.train.TrainingResult;
import java.util.List;

/**
 * What a cell's folder says about it: a finished run's summary, a failure, or nothing yet.
 *
 * @param status summary.json's status ({@code converged}, {@code step-budget}, {@code time-budget}, {@code diverged},
 *     {@code non-finite}), {@link #FAILED} (an error stopped the cell) or {@link #PENDING} (no result)
 * @param message why a cell failed or diverged; empty otherwise
 */
public record CellResult(String status, long steps, double finalLoss, double finalRd, List<Double> finalLayerRd,
        double initialLearningRate, double finalLearningRate, int restarts, double wallSeconds, String message) {
    public static final String FAILED = "failed";
    public static final String PENDING = "pending";

    public CellResult {
        requireNonNull(status, "status is null");
        finalLayerRd = List.copyOf(finalLayerRd);
        message = message == null ? "" : message;
    }

    public static CellResult pending() {
        return new CellResult(PENDING, 0, Double.NaN, Double.NaN, List.of(), Double.NaN, Double.NaN, 0, Double.NaN, "");
    }

    public static CellResult failed(String message, double wallSeconds) {
        return new CellResult(FAILED, 0, Double.NaN, Double.NaN, List.of(), Double.NaN, Double.NaN, 0, wallSeconds,
                message);
    }

    public static CellResult of(TrainingResult result) {
        return new CellResult(result.status().label(), result.steps(), result.finalLoss(), result.finalRd(),
                result.finalLayerRd(), result.initialLearningRate(), result.finalLearningRate(), result.restarts(),
                result.wallSeconds(), result.message());
    }

    /** Whether the cell has a result to read back (finished, whatever its status, or failed). */
    public boolean done() {
        return !status.equals(PENDING);
    }

    public boolean failed() {
        return status.equals(FAILED);
    }

    public boolean converged() {
        return status.equals("converged");
    }

    /** max_l RD_l, what the theta-lazy claim is judged on (docs/theory.md#observables). */
    public double maxLayerRd() {
        return finalLayerRd.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    }
}
