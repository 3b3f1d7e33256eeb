package io.thetalazy.experiments.cli;

import static io.thetalazy.core.error.ErrorCode.INVALID_CONFIG;

import io.thetalazy.core.error.FrameworkException;
import io.thetalazy.experiments.config.Cell;
import io.thetalazy.experiments.sweep.CellResult;
import io.thetalazy.experiments.sweep.ResultStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Prints an experiment folder's cells with their state, read from the cell folders. */
@Command(name = "cells", mixinStandardHelpOptions = true, description = "Print the cells of an experiment folder: "
        + "id, axis values, status, steps, final loss, RD, wall time and message.")
final class CellsCommand implements Runnable {
    private static final List<String> STATUSES = List.of("converged", "step-budget", "time-budget", "diverged",
            "non-finite", CellResult.FAILED, CellResult.PENDING);

    @Parameters(index = "0", paramLabel = "DIR", description = "experiment results folder (thetalazy run --out)")
    Path folder;

    @Option(names = "--status", split = ",", description = "only cells of these statuses, comma-separated (converged, step-budget, diverged, failed, pending, ...)")
    List<String> statuses = new ArrayList<>();

    @Override
    public void run() {
        for (String status : statuses) {
            if (!STATUSES.contains(status)) {
                throw new FrameworkException(INVALID_CONFIG, "--status '%s' is not a cell status; statuses: %s"
                        .formatted(status, String.join(", ", STATUSES)));
            }
        }
        ResultStore store = ResultStore.open(folder);
        Map<Cell, CellResult> results = store.readAll();
        ExperimentOptions.printCells(System.out, store.experiment(), results, statuses);
    }
}
