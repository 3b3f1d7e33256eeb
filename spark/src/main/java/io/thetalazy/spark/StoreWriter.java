package io.thetalazy.spark;

import io.thetalazy.experiments.report.OutputFolder;
import io.thetalazy.experiments.report.OutputFolder.Kind;
import io.thetalazy.experiments.report.OutputFolder.Mode;
import io.thetalazy.experiments.report.RunFolder;
import io.thetalazy.experiments.sweep.CellResult;
import io.thetalazy.experiments.sweep.CellTask;
import io.thetalazy.experiments.sweep.ResultStore;
import io.thetalazy.kernels.io.AtomicFiles;
import java.nio.file.Path;

/**
 * The driver's side of a cell: writes what a task handed back into the cell's folder in the store, as {@link
 * io.thetalazy.experiments.sweep.CellRun} does locally: the folder claimed and cleared of an interrupted attempt,
 * every file written atomically (complete or absent), summary.json last. A driver killed while writing leaves a
 * folder without summary.json, which the store reads as pending and the next run redoes.
 */
final class StoreWriter {
    private StoreWriter() {}

    static CellResult finished(CellTask task, CellOutput output) {
        Path folder = task.folder();
        CellOutput.File summary = output.files().stream().filter(file -> file.path().equals(RunFolder.SUMMARY))
                .findFirst().orElseThrow(() -> new IllegalStateException("cell %s came back without %s"
                        .formatted(task.cell().id(), RunFolder.SUMMARY)));
        try (OutputFolder claimed = claim(task)) {
            claimed.clear();
            for (CellOutput.File file : output.files()) {
                if (file != summary) {
                    AtomicFiles.write(inside(folder, file.path()), out -> out.write(file.bytes()));
                }
            }
            AtomicFiles.write(folder.resolve(RunFolder.SUMMARY), out -> out.write(summary.bytes()));   // last: done
        }
        return output.result();
    }

    /** Records a cell Spark gave up on: failure.json with the cell's message, as a failed local cell has. */
    static CellResult failed(CellTask task, String message, double wallSeconds) {
        try (OutputFolder claimed = claim(task)) {
            claimed.clear();
            ResultStore.writeFailure(task.folder(), message, wallSeconds);
        }
        return CellResult.failed(message, wallSeconds);
    }

    private static OutputFolder claim(CellTask task) {
        return OutputFolder.claim(task.folder(), Kind.TRAIN, Mode.CONTINUE, "thetalazy run cell " + task.cell().id());
    }

    /** A path a task named, refused if it leaves the cell's folder. */
    private static Path inside(Path folder, String relative) {
        Path target = folder.resolve(relative).normalize();
        if (!target.startsWith(folder.normalize()) || target.equals(folder.normalize())) {
            throw new IllegalStateException("a task named file '" + relative + "' outside its cell folder");
        }
        return target;
    }
}
