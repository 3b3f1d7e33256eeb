package io.thetalazy.core.train;

import java.util.List;

/**
 * An extra observable recorded every k steps as columns appended to metrics.csv (kernel drift, lambda_min, ...).
 */
public interface Observer {
    List<String> columns();

    /** One value per column, at a recording step. */
    double[] observe(TrainingState state);
}
