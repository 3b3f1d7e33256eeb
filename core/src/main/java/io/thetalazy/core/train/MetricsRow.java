package io.thetalazy.core.train;

import java.util.List;

/**
 * One recorded step (docs/formats.md#metrics): step, time (sum of the steps taken), the learning rate, loss, total RD,
 * RD per layer (index order), and the extra observers' values.
 *
 * @param step steps taken
 * @param time the sum of the steps taken (gradient-flow time)
 * @param learningRate the base step in use
 * @param loss R_S, the training loss
 * @param rd the total relative distance from initialization ({@link RelativeDistance})
 * @param layerRd RD_1 .. RD_{L+1}
 * @param extras the observers' values, in the order of {@link Trainer#extraColumns()}
 */
public record MetricsRow(long step, double time, double learningRate, double loss, double rd, List<Double> layerRd,
        List<Double> extras) {
    /** Copies the lists. */
    public MetricsRow {
        layerRd = List.copyOf(layerRd);
        extras = List.copyOf(extras);
    }
}
