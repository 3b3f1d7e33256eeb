package io.thetalazy.experiments.sweep;

import io.thetalazy.experiments.config.RunConfig;
import java.util.Comparator;
import java.util.List;

/**
 * How big a cell is: about width^2 weights per hidden layer. Its memory and its time per step grow with this, so it
 * sizes the jobs that fit at once and orders the cells a run starts.
 */
public final class CellSize {
    private CellSize() {
    }

    /** Width^2 times the number of hidden layers (at least one). */
    public static long weights(RunConfig config) {
        return (long) config.width() * config.width() * Math.max(1, config.depth());
    }

    /**
     * About what a cell holds in memory: 6 doubles per weight (the weights of both antisymmetric copies, their initial
     * copy, and the training's work arrays).
     */
    public static long bytes(RunConfig config) {
        return 6L * Double.BYTES * weights(config);
    }

    /**
     * The tasks largest first, equal sizes in the given order. With several jobs the long cells start first and the
     * short ones fill in behind them, instead of the widest cell starting last and running alone while the other
     * workers idle (the quickstart's last cell alone took a third of its run).
     */
    public static List<CellTask> largestFirst(List<CellTask> tasks) {
        return tasks.stream().sorted(Comparator.comparingLong((CellTask task) -> weights(task.cell().config()))
                .reversed()).toList();
    }
}
