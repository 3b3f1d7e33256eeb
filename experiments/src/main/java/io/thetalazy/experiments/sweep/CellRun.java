package io.thetalazy.experiments.sweep;

import io.thetalazy.core.error.FrameworkException;
import io.thetalazy.core.plugin.Registry;
import io.thetalazy.core.train.TrainingListener;
import io.thetalazy.core.train.TrainingResult;
import io.thetalazy.kernels.io.AtomicFiles;
import java.nio.file.Files;
import io.thetalazy.experiments.report.Checkpoints;
import io.thetalazy.experiments.report.OutputFolder;
import io.thetalazy.experiments.report.OutputFolder.Kind;
import io.thetalazy.experiments.report.OutputFolder.Mode;

/**
 * One cell run into its folder: claimed, then continued from the checkpoint an interrupted attempt left (bit for bit
 * the uninterrupted run) or trained from its start in the cleared folder; an error becomes failure.json.
 */
public final class CellRun {
    private CellRun() {}

    /** Never throws for the cell's own errors: a failed cell is recorded and the others go on. */
    public static CellResult run(CellTask task, Registry registry, TrainingListener progress) {
        long start = System.nanoTime();
        try (OutputFolder folder = OutputFolder.claim(task.folder(), Kind.TRAIN, Mode.CONTINUE,
                "thetalazy run cell " + task.cell().id())) {
            try {
                RunSetup setup = RunSetup.of(task.cell().config(), registry, task.dataFolder());
                return CellResult.of(train(setup, folder, task, progress));
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

    private static TrainingResult train(RunSetup setup, OutputFolder folder, CellTask task, TrainingListener progress) {
        if (Checkpoints.exists(task.folder()) && !Files.exists(task.folder().resolve(ResultStore.FAILURE))) {
            try {
                AtomicFiles.deleteLeftovers(task.folder());
                return Runs.resume(setup, task.folder(), progress);
            } catch (FrameworkException e) {
                // a checkpoint that cannot be continued (damaged, another configuration): the cell starts over
            }
        }
        folder.clear();
        return Runs.train(setup, task.folder(), progress);
    }
}
