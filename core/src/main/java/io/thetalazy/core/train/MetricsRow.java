package io.thetalazy.core.train;

import java.util.List;

/**
 * One recorded step (docs/formats.md#metrics): step, time (sum of the steps taken), the learning rate, loss, total RD,
 * RD per layer (index order), and the extra observers' values.
 */
public record MetricsRow(long step, double time, double learningRate, double loss, double rd, List<Double> layerRd,
        List<Double> extras) {
    public MetricsRow {
        layerRd = List.copyOf(layerRd);
        extras = List.copyOf(extras);
    }
}
