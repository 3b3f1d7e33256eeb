package io.thetalazy.experiments.sweep;

import io.thetalazy.core.error.FrameworkException;
import io.thetalazy.core.plugin.Registry;
import io.thetalazy.experiments.config.Cell;
import io.thetalazy.experiments.config.Experiment;
import io.thetalazy.experiments.report.ExperimentProvenance;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs an experiment into its store: every cell checked first, the resolved experiment written, finished cells read
 * back, the others given to the executor; cells.csv is rewritten as each cell ends and provenance.json records the
 * invocation.
 */
public final class ExperimentRunner {
    private ExperimentRunner() {}

    /** What a run reports as it goes (progress). */
    public interface Listener {
        Listener NONE = new Listener() {};

        /** Before the first cell: how many cells there are, and how many are already done. */
        default void planned(int cells, int done, int toRun) {}

        default void started(Cell cell) {}

        default void finished(Cell cell, CellResult result) {}
    }

    /** The state of every cell after the run, and the cells this run executed. */
    public record Outcome(Map<Cell, CellResult> results, List<Cell> ran) {
        public Outcome {
            results = Collections.unmodifiableMap(new LinkedHashMap<>(results));
            ran = List.copyOf(ran);
        }
    }

    /**
     * Checks every cell's configuration against the registry (architecture, options, activation, initializer, rule,
     * data) before anything runs; the error names the cell.
     */
    public static void check(Experiment experiment, Registry registry, Path dataFolder) {
        for (Cell cell : experiment.cells()) {
            try {
                RunSetup.of(cell.config(), registry, dataFolder);
            } catch (FrameworkException e) {
                throw new FrameworkException(e.errorCode(), "cell %s %s: %s".formatted(cell.id(), cell.axes(),
                        e.getMessage()));
            }
        }
    }

    /** The cells a run would execute: those without a result, and failed ones when {@code retryFailed}. */
    public static List<Cell> toRun(Map<Cell, CellResult> results, boolean retryFailed) {
        List<Cell> cells = new ArrayList<>();
        results.forEach((cell, result) -> {
            if (!result.done() || retryFailed && result.failed()) {
                cells.add(cell);
            }
        });
        return cells;
    }

    public static Outcome run(ResultStore store, CellExecutor executor, Path dataFolder, boolean retryFailed,
            List<String> commandLine, Listener listener) {
        Map<Cell, CellResult> results = store.readAll();   // a stale folder is refused here, before any cell runs
        store.writeExperiment();
        List<Cell> cells = toRun(results, retryFailed);
        listener.planned(results.size(), results.size() - cells.size(), cells.size());
        store.writeCells(results);
        if (cells.isEmpty()) {
            return new Outcome(results, List.of());
        }
        Path provenance = store.folder().resolve(ResultStore.PROVENANCE);
        ObjectNode entry = ExperimentProvenance.start(executor.name(), executor.jobs(), commandLine);
        ExperimentProvenance.write(provenance, entry, false);
        List<CellTask> tasks = CellSize.largestFirst(cells.stream()
                .map(c -> new CellTask(c, store.cellFolder(c), dataFolder)).toList());
        List<Cell> ran = new ArrayList<>();
        executor.execute(tasks, new CellExecutor.Events() {
            @Override
            public void started(CellTask task) {
                listener.started(task.cell());
            }

            @Override
            public void finished(CellTask task, CellResult result) {
                results.put(task.cell(), result);
                ran.add(task.cell());
                store.writeCells(results);
                listener.finished(task.cell(), result);
            }
        });
        ExperimentProvenance.finish(entry, cells.stream().map(Cell::id).toList());
        ExperimentProvenance.write(provenance, entry, true);
        return new Outcome(results, ran);
    }
}
