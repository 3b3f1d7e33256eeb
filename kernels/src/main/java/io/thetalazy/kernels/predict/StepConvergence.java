package io.thetalazy.kernels.predict;

import static java.util.Objects.requireNonNull;

import io.thetalazy.core.layer.Network;
import io.thetalazy.core.layer.Params;
import io.thetalazy.core.train.MetricsRow;
import io.thetalazy.core.train.StepSize;
import io.thetalazy.core.train.Trainer;
import io.thetalazy.core.train.TrainingConfig;
import io.thetalazy.core.train.TrainingListener;
import io.thetalazy.core.train.TrainingResult;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Convergence in the step fraction c (docs/theory.md#what-correct-means): the same configuration trained with a step
 * policy and with that policy halved ({@link StepSize#halved()}, c/2; twice the step budget, so both can cover the same
 * time), from the same initial parameters, compared at equal times t = sum of the steps taken (gradient-flow time): the
 * change in final RD, and the largest difference of the loss curves, max_t |R_c(t) - R_{c/2}(t)| / R(0) (the trajectory
 * comparison of docs/theory.md#invariance) and pointwise relative max_t |R_c(t) - R_{c/2}(t)| / R_{c/2}(t) while
 * R_{c/2}(t) > 1e-10 R(0). The c/2 curve is interpolated log-linearly in time at the times recorded by the c run, over
 * the time both runs cover.
 *
 * @param coarse the run with the given policy (c)
 * @param fine the run with the halved policy (c/2)
 * @param coarseRows the metric rows the c run recorded
 * @param fineRows the metric rows the c/2 run recorded
 * @param finalRdChange |RD_c - RD_{c/2}| / RD_{c/2} at the end (absolute when RD_{c/2} = 0)
 * @param lossCurveDifference max_t |R_c(t) - R_{c/2}(t)| / R(0)
 * @param lossCurveRelativeDifference max_t |R_c(t) - R_{c/2}(t)| / R_{c/2}(t) while R_{c/2}(t) > 1e-10 R(0)
 */
public record StepConvergence(TrainingResult coarse, TrainingResult fine, List<MetricsRow> coarseRows,
        List<MetricsRow> fineRows, double finalRdChange, double lossCurveDifference,
        double lossCurveRelativeDifference) {
    /** The floor of the pointwise comparison, relative to R(0) (docs/theory.md#invariance). */
    public static final double LOSS_FLOOR = 1e-10;

    /** Checks that both results are set and copies the rows. */
    public StepConvergence {
        requireNonNull(coarse, "coarse is null");
        requireNonNull(fine, "fine is null");
        coarseRows = List.copyOf(coarseRows);
        fineRows = List.copyOf(fineRows);
    }

    /**
     * Trains copies of {@code initial} with {@code stepSize} and with {@code stepSize.halved()}, and compares. RD is
     * compared at the end of each run, so the config should stop on its loss tolerance (docs/theory.md#observables).
     */
    public static StepConvergence check(Network network, Params initial, INDArray x, INDArray y, TrainingConfig config,
            StepSize stepSize) {
        requireNonNull(stepSize, "stepSize is null");
        Trainer trainer = new Trainer(config);
        List<MetricsRow> coarseRows = new ArrayList<>();
        List<MetricsRow> fineRows = new ArrayList<>();
        TrainingResult coarse = trainer.train(network, initial.copy(), x, y, stepSize, collector(coarseRows));
        Trainer halved = new Trainer(config.withMaxSteps(config.maxSteps() > Long.MAX_VALUE / 2 ? Long.MAX_VALUE
                : 2 * config.maxSteps()));
        TrainingResult fine = halved.train(network, initial.copy(), x, y, stepSize.halved(), collector(fineRows));
        double rdChange = Math.abs(coarse.finalRd() - fine.finalRd());
        if (fine.finalRd() > 0) {
            rdChange /= fine.finalRd();
        }
        double initialLoss = coarse.initialLoss();
        double absolute = 0;
        double relative = 0;
        double lastFineTime = fineRows.isEmpty() ? 0 : fineRows.get(fineRows.size() - 1).time();
        for (MetricsRow row : coarseRows) {
            if (row.time() > lastFineTime || fineRows.isEmpty()) {
                break;
            }
            double other = interpolate(fineRows, row.time());
            double difference = Math.abs(row.loss() - other);
            absolute = Math.max(absolute, initialLoss > 0 ? difference / initialLoss : difference);
            if (other > LOSS_FLOOR * initialLoss) {
                relative = Math.max(relative, difference / other);
            }
        }
        return new StepConvergence(coarse, fine, coarseRows, fineRows, rdChange, absolute, relative);
    }

    private static TrainingListener collector(List<MetricsRow> rows) {
        return new TrainingListener() {
            @Override
            public void onRecord(MetricsRow row) {
                rows.add(row);
            }

            @Override
            public void onRestart(int restart, String reason) {
                rows.clear();
            }
        };
    }

    /** The loss at time t, log-linear between the recorded rows around it (linear if a loss is 0). */
    static double interpolate(List<MetricsRow> rows, double time) {
        MetricsRow before = rows.get(0);
        for (MetricsRow row : rows) {
            if (row.time() >= time) {
                if (row.time() == before.time()) {
                    return row.loss();
                }
                double w = (time - before.time()) / (row.time() - before.time());
                if (before.loss() > 0 && row.loss() > 0) {
                    return Math.exp((1 - w) * Math.log(before.loss()) + w * Math.log(row.loss()));
                }
                return (1 - w) * before.loss() + w * row.loss();
            }
            before = row;
        }
        return before.loss();
    }
}
