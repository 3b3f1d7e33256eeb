package io.thetalazy.core.train;

import java.util.List;

/**
 * An extra observable recorded every k steps as columns appended to metrics.csv (kernel drift, lambda_min, ...).
 */
public interface Observer {
    /** The names of the columns this observer adds to metrics.csv, in order. */
    List<String> columns();

    /** One value per column, at a recording step. */
    double[] observe(TrainingState state);

    /**
     * A resumed run hands over the rows recorded before its checkpoint, so an observer that spaces its work by the
     * steps it last observed continues as the uninterrupted run would. {@code extras} are this observer's values,
     * row by row in step order.
     */
    default void resume(List<Long> steps, List<double[]> extras) {}
}
