package io.thetalazy.experiments.cli;

import io.thetalazy.core.plugin.Registry;
import io.thetalazy.experiments.config.Cell;
import io.thetalazy.experiments.analysis.ExperimentReport;
import io.thetalazy.experiments.report.OutputFolder;
import io.thetalazy.experiments.report.OutputFolder.Kind;
import io.thetalazy.experiments.report.OutputFolder.Mode;
import io.thetalazy.experiments.sweep.CellResult;
import io.thetalazy.experiments.sweep.ResultStore;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** Rebuilds an experiment folder's report from its store (experiment.yaml and the cell folders). */
@Command(name = "report", mixinStandardHelpOptions = true, description = "Rebuild report.md, report.html, "
        + "slopes.csv, the figures and cells.csv of an experiment folder from its cells.")
final class ReportCommand implements Runnable {
    private final Registry registry;

    @Parameters(index = "0", paramLabel = "DIR", description = "experiment results folder (thetalazy run --out)")
    Path folder;

    @Inject
    ReportCommand(Registry registry) {
        this.registry = registry;
    }

    @Override
    public void run() {
        ResultStore store = ResultStore.open(folder);
        // claimed, so a report is never built from a run still writing its cells
        try (OutputFolder claimed = OutputFolder.claim(folder, Kind.EXPERIMENT, Mode.CONTINUE,
                "thetalazy report " + folder)) {
            Map<Cell, CellResult> results = store.readAll();
            store.writeCells(results);
            ExperimentReport.Summary summary = ExperimentReport.write(store, results, registry);
            ExperimentOptions.printSummary(System.out,
                    new ExperimentOptions.Finished(store, results, summary));
        }
    }
}
