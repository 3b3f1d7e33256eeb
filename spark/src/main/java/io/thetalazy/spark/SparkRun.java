package io.thetalazy.spark;

import io.thetalazy.core.error.FrameworkException;
import io.thetalazy.core.layer.Numerics;
import io.thetalazy.core.plugin.Plugins;
import io.thetalazy.core.plugin.Registry;
import io.thetalazy.experiments.config.Cell;
import io.thetalazy.experiments.config.Experiment;
import io.thetalazy.experiments.config.ExperimentFiles;
import io.thetalazy.experiments.report.OutputFolder;
import io.thetalazy.experiments.report.OutputFolder.Kind;
import io.thetalazy.experiments.report.OutputFolder.Mode;
import io.thetalazy.experiments.sweep.CellExecutor;
import io.thetalazy.experiments.sweep.CellExecutors;
import io.thetalazy.experiments.sweep.CellResult;
import io.thetalazy.experiments.sweep.ExperimentRunner;
import io.thetalazy.experiments.sweep.ResultStore;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Runs an experiment file into a results folder on an executor, with a line per cell on stderr:
 * {@code spark-submit --class io.thetalazy.spark.SparkRun thetalazy-spark.jar FILE OUT [EXECUTOR]}, the executor
 * {@code spark} unless named. The same run as {@code thetalazy run FILE --out OUT --executor spark} without the
 * command line's options; the jar's main class is that command line.
 */
public final class SparkRun {
    private SparkRun() {}

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs and returns the exit code: 0 once every cell has a result (failed cells included), 2 for bad input. */
    public static int execute(String... args) {
        if (args.length < 2 || args.length > 3) {
            System.err.println("usage: SparkRun EXPERIMENT_FILE OUT_FOLDER [EXECUTOR (spark, spark-local[N])]");
            return 2;
        }
        Path file = Path.of(args[0]);
        Path out = Path.of(args[1]);
        String executorName = args.length == 3 ? args[2] : SparkExecutors.SPARK;
        try {
            Numerics.useFloat64();
            Registry registry = Plugins.registry();
            Experiment experiment = ExperimentFiles.read(file);
            Path dataFolder = file.toAbsolutePath().getParent();
            ExperimentRunner.check(experiment, registry, dataFolder);
            try (OutputFolder folder = OutputFolder.claim(out, Kind.EXPERIMENT, Mode.CONTINUE, "thetalazy-spark run")) {
                CellExecutor executor = CellExecutors.create(executorName, registry, 1);
                List<String> commandLine = new ArrayList<>(List.of("SparkRun"));
                commandLine.addAll(List.of(args));
                ExperimentRunner.Outcome outcome = ExperimentRunner.run(new ResultStore(out, experiment), executor,
                        dataFolder, false, commandLine, new Lines(System.err));
                long failed = outcome.results().values().stream().filter(CellResult::failed).count();
                System.err.printf(Locale.ROOT, "%d cells, %d ran, %d failed: %s%n", outcome.results().size(),
                        outcome.ran().size(), failed, out.resolve(ResultStore.CELLS));
                return 0;
            }
        } catch (FrameworkException e) {
            System.err.println("error [" + e.errorCode().name().toLowerCase(Locale.ROOT).replace('_', '-') + "]: "
                    + e.getMessage());
            return 2;
        }
    }

    /** Cells done / running / failed / left, a line as each cell ends. */
    private static final class Lines implements ExperimentRunner.Listener {
        private final PrintStream out;
        private int toRun;
        private int running;
        private int done;
        private int failed;

        Lines(PrintStream out) {
            this.out = out;
        }

        @Override
        public void planned(int cells, int done, int toRun) {
            this.toRun = toRun;
            out.printf(Locale.ROOT, "%d cells: %d done before, %d to run%n", cells, done, toRun);
        }

        @Override
        public void started(Cell cell) {
            running++;
        }

        @Override
        public void finished(Cell cell, CellResult result) {
            running--;
            done++;
            failed += result.failed() ? 1 : 0;
            out.printf(Locale.ROOT, "cell %s %s: %s (%d done, %d running, %d failed, %d left)%n", cell.id(),
                    cell.axes(), result.status(), done, running, failed, toRun - done - running);
        }
    }
}
