package io.thetalazy.experiments.sweep;

import java.util.List;

/**
 * Runs an experiment's cells. Each task is self-contained (its configuration in, its run folder out: {@link
 * CellRun}), so an executor may run them in threads, processes or on other machines, in any order: a cell's numbers
 * depend on its configuration only.
 */
public interface CellExecutor {
    /** What the executor is called in provenance.json ({@code local}). */
    String name();

    /** How many cells run at once. */
    int jobs();

    /** Runs every task, telling {@code events} as each starts and ends; returns when all have ended. */
    void execute(List<CellTask> tasks, Events events);

    /** Start and end of each cell; called from the executor's threads, one call at a time. */
    interface Events {
        void started(CellTask task);

        void finished(CellTask task, CellResult result);
    }
}
