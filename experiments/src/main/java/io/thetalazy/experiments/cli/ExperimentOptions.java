package io.thetalazy.experiments.cli;

import static io.thetalazy.core.error.ErrorCode.INVALID_CONFIG;

import io.thetalazy.core.error.FrameworkException;
import io.thetalazy.core.plugin.Registry;
import io.thetalazy.experiments.analysis.Analyses;
import io.thetalazy.experiments.analysis.ClaimChecks;
import io.thetalazy.experiments.config.Cell;
import io.thetalazy.experiments.config.Experiment;
import io.thetalazy.experiments.analysis.ExperimentReport;
import io.thetalazy.experiments.report.OutputFolder;
import io.thetalazy.experiments.report.OutputFolder.Kind;
import io.thetalazy.experiments.report.OutputFolder.Mode;
import io.thetalazy.experiments.sweep.CellExecutor;
import io.thetalazy.experiments.sweep.CellExecutors;
import io.thetalazy.experiments.sweep.CellResult;
import io.thetalazy.experiments.sweep.CellSize;
import io.thetalazy.experiments.sweep.ExperimentRunner;
import io.thetalazy.experiments.sweep.LocalExecutor;
import io.thetalazy.experiments.sweep.ResultStore;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The options of a command that runs an experiment ({@code run}, {@code quickstart}: a picocli mixin), and the run
 * itself: cells checked, the folder claimed, cells executed with progress, the report written.
 */
final class ExperimentOptions {
    @Option(names = "--jobs", description = "cells at once (default: as many as the cores and memory allow)")
    Integer jobs;

    @Option(names = "--executor", defaultValue = CellExecutors.LOCAL, description = "where cells run: local (threads "
            + "of this process), or spark / spark-local[N] with the thetalazy-spark jar (default: ${DEFAULT-VALUE})")
    String executor;

    @Option(names = "--retry-failed", description = "run again the cells that failed (an error, not a diverged run)")
    boolean retryFailed;

    @Option(names = "--progress", defaultValue = "auto", description = "auto (a bar on a terminal, lines otherwise), "
            + "bar, plain or none (default: ${DEFAULT-VALUE})")
    String progress;

    @Mixin
    OutputOptions output = new OutputOptions();

    ExperimentProgress.Style style() {
        try {
            return ExperimentProgress.Style.valueOf(progress.toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new FrameworkException(INVALID_CONFIG, "--progress must be auto, bar, plain or none, found '%s'"
                    .formatted(progress));
        }
    }

    /** What a run ended with. */
    record Finished(ResultStore store, Map<Cell, CellResult> results, ExperimentReport.Summary summary) {}

    /**
     * Runs the experiment into {@code out}: checks every cell first, claims the folder (refused while another run
     * holds it), executes the cells not yet done and writes the report.
     */
    Finished run(Experiment experiment, Path out, Path dataFolder, Registry registry, List<String> commandLine,
            String command) {
        if (jobs != null) {
            OptionValues.atLeast("--jobs", jobs, 1, "at least 1 cell at a time");
        }
        ExperimentProgress.Style style = style();
        check(experiment, registry, dataFolder);
        int count = jobs != null ? jobs : defaultJobs(experiment);
        CellExecutor cellExecutor = CellExecutors.create(executor, registry, count);
        try (OutputFolder claimed = output.claim(out, Kind.EXPERIMENT, Mode.CONTINUE, command)) {
            checkSameExperiment(out, experiment);
            ResultStore store = new ResultStore(out, experiment);
            ExperimentProgress listener = new ExperimentProgress(System.err, style, experiment, cellExecutor.jobs());
            ExperimentRunner.Outcome outcome;
            try {
                outcome = ExperimentRunner.run(store, cellExecutor, dataFolder, retryFailed, commandLine, listener);
            } finally {
                listener.close();
            }
            ExperimentReport.Summary summary = ExperimentReport.write(store, outcome.results(), registry);
            return new Finished(store, outcome.results(), summary);
        }
    }

    /** Every cell's configuration and every analysis checked, before anything runs. */
    static void check(Experiment experiment, Registry registry, Path dataFolder) {
        Analyses.check(experiment);
        ExperimentRunner.check(experiment, registry, dataFolder);
    }

    /**
     * A folder holds one experiment: rerunning it, or running it with more or fewer axis values, continues there;
     * another experiment is refused (its cells would be mixed with this one's).
     */
    private static void checkSameExperiment(Path out, Experiment experiment) {
        Path file = out.resolve(ResultStore.EXPERIMENT);
        if (Files.isRegularFile(file)) {
            String name = ResultStore.open(out).experiment().name();
            if (!name.equals(experiment.name())) {
                throw new FrameworkException(io.thetalazy.core.error.ErrorCode.OUTPUT_FOLDER, ("%s holds the "
                        + "experiment '%s', not '%s'; choose another --out, or add --overwrite to delete what it holds")
                        .formatted(out, name, experiment.name()));
            }
        }
    }

    /** As many cells at once as the cores allow, fewer when the memory cannot hold them ({@link CellSize#bytes}). */
    static int defaultJobs(Experiment experiment) {
        long bytes = experiment.cells().stream().mapToLong(c -> CellSize.bytes(c.config())).max().orElse(0);
        return LocalExecutor.defaultJobs(experiment.cells().size(), bytes);
    }

    /** The closing lines of a run: the cells by status, each claim's verdict, where the report is. */
    static void printSummary(PrintStream out, Finished finished) {
        out.printf("cells: %s%n", ExperimentReport.statusText(finished.summary().statuses()));
        for (ClaimChecks.Check check : finished.summary().checks()) {
            out.printf("claim: %s -> %s%n", check.claim().text().strip(), check.summary());
        }
        long failed = finished.results().values().stream().filter(CellResult::failed).count();
        if (failed > 0) {
            out.printf("%d cell%s failed: thetalazy cells %s --status failed lists them; rerun with --retry-failed "
                    + "to run them again%n", failed, failed == 1 ? "" : "s", finished.store().folder());
        }
        out.printf("Report: %s%n", finished.store().folder().resolve(ExperimentReport.MARKDOWN).toAbsolutePath());
    }

    /** The cells of an experiment as a table: id, folder, axis values, and their state in {@code out} if any. */
    static void printCells(PrintStream out, Experiment experiment, Map<Cell, CellResult> results, List<String> statuses) {
        StringBuilder header = new StringBuilder("%-12s".formatted("id"));
        for (String axis : experiment.axes()) {
            header.append(" %-10s".formatted(Cell.label(axis, experiment.labels())));
        }
        header.append(" %-11s %7s %11s %11s %11s %8s  %s".formatted("status", "steps", "final loss", "RD", "max RD_l",
                "wall s", "message"));
        out.println(header.toString().stripTrailing());
        int shown = 0;
        for (Cell cell : experiment.cells()) {
            CellResult r = results.getOrDefault(cell, CellResult.pending());
            if (!statuses.isEmpty() && !statuses.contains(r.status())) {
                continue;
            }
            shown++;
            StringBuilder row = new StringBuilder("%-12s".formatted(cell.id()));
            for (String axis : experiment.axes()) {
                row.append(" %-10s".formatted(cell.axes().getOrDefault(axis, "")));
            }
            boolean numbers = r.done() && !r.failed();
            row.append(" %-11s %7s %11s %11s %11s %8s  %s".formatted(r.status(), numbers ? r.steps() : "",
                    numbers ? "%.3e".formatted(r.finalLoss()) : "", numbers ? "%.3e".formatted(r.finalRd()) : "",
                    numbers ? "%.3e".formatted(r.maxLayerRd()) : "",
                    r.done() && Double.isFinite(r.wallSeconds()) ? "%.1f".formatted(r.wallSeconds()) : "",
                    r.message()));
            out.println(row.toString().stripTrailing());
        }
        out.printf("%d of %d cells shown%n", shown, experiment.cells().size());
    }

    /** The state of every cell in {@code out} when it holds this experiment's store, else every cell pending. */
    static Map<Cell, CellResult> existing(Experiment experiment, Path out) {
        if (Files.isRegularFile(out.resolve(ResultStore.EXPERIMENT))) {
            return new ResultStore(out, experiment).readAll();
        }
        Map<Cell, CellResult> pending = new java.util.LinkedHashMap<>();
        experiment.cells().forEach(c -> pending.put(c, CellResult.pending()));
        return pending;
    }
}
