package io.thetalazy.experiments.sweep;

import io.thetalazy.core.error.FrameworkException;
import io.thetalazy.core.plugin.Registry;
import io.thetalazy.core.train.TrainingListener;
import io.thetalazy.core.train.TrainingResult;
import io.thetalazy.experiments.report.OutputFolder;
import io.thetalazy.experiments.report.OutputFolder.Kind;
import io.thetalazy.experiments.report.OutputFolder.Mode;

/** One cell run into its folder: claimed, cleared of an interrupted attempt, trained; an error becomes failure.json. */
public final class CellRun {
    private CellRun() {}

    /** Never throws for the cell's own errors: a failed cell is recorded and the others go on. */
    public static CellResult run(CellTask task, Registry registry, TrainingListener progress) {
        long start = System.nanoTime();
        try (OutputFolder folder = OutputFolder.claim(task.folder(), Kind.TRAIN, Mode.CONTINUE,
                "thetalazy run cell " + task.cell().id())) {
            folder.clear();   // an interrupted or failed attempt is redone from its start
            try {
                RunSetup setup = RunSetup.of(task.cell().config(), registry, task.dataFolder());
                TrainingResult result = Runs.train(setup, task.folder(), progress);
                return CellResult.of(result);
            } catch (RuntimeException | OutOfMemoryError e) {
                String message = e instanceof FrameworkException framework
                        ? "[" + framework.errorCode().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-') + "] "
                                + e.getMessage()
                        : e.toString();
                double seconds = (System.nanoTime() - start) / 1e9;
                ResultStore.writeFailure(task.folder(), message, seconds);
                return CellResult.failed(message, seconds);
            }
        }
    }
}
