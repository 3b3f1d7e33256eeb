package io.thetalazy.experiments.analysis;

import static java.util.Objects.requireNonNull;

import io.thetalazy.core.plugin.Registry;
import io.thetalazy.experiments.config.Cell;
import io.thetalazy.experiments.config.Experiment;
import io.thetalazy.experiments.sweep.CellResult;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A computation over an experiment's finished cells, named under {@code analyses:} in the experiment file
 * ({@link Analyses} lists them). It reads the store (cells.csv's results, each cell's run folder), writes its own
 * files (CSV tables, PNG figures) into the experiment folder and returns its section of the report. It runs again
 * whenever the report is rebuilt, so it must depend on the store alone.
 */
public interface Analysis {
    /** The section of the report, its files written into {@code context.folder()}. */
    Section run(Context context);

    /**
     * What an analysis reads.
     *
     * @param folder the experiment folder (the store)
     * @param results every cell's state, in the experiment's order
     */
    record Context(Experiment experiment, Map<Cell, CellResult> results, Path folder, Registry registry) {
        public Context {
            requireNonNull(experiment, "experiment is null");
            results = Collections.unmodifiableMap(new LinkedHashMap<>(results));
            requireNonNull(folder, "folder is null");
            requireNonNull(registry, "registry is null");
        }

        /** A cell's run folder. */
        public Path cellFolder(Cell cell) {
            return folder.resolve(io.thetalazy.experiments.sweep.ResultStore.CELL_FOLDERS)
                    .resolve(cell.folderName(experiment.labels()));
        }

        /** The groups of cells that differ only in width and seed ({@link WidthScaling#groups}). */
        public List<WidthScaling.Group> widthGroups() {
            return WidthScaling.groups(experiment, results);
        }
    }

    /**
     * A section of the report.
     *
     * @param title its heading
     * @param markdown its body (tables, text, figures as {@code ![..](file.png)} relative to the experiment folder)
     * @param files the files it wrote, relative to the experiment folder
     */
    record Section(String title, String markdown, List<String> files) {
        public Section {
            requireNonNull(title, "title is null");
            requireNonNull(markdown, "markdown is null");
            files = List.copyOf(files);
        }
    }
}
