package io.thetalazy.spark;

import static java.util.Objects.requireNonNull;

import io.thetalazy.experiments.config.Cell;
import io.thetalazy.experiments.config.CellIds;
import io.thetalazy.experiments.config.ConfigFiles;
import io.thetalazy.experiments.config.RunConfig;
import io.thetalazy.experiments.sweep.CellTask;
import java.io.Serializable;
import java.util.LinkedHashMap;

/**
 * A cell as a Spark task receives it: plain strings, since a {@link Cell} and its paths do not travel between JVMs.
 * The configuration goes as its resolved YAML and is checked on arrival against the id, its hash.
 *
 * @param axes the cell's axis values in the experiment's order
 * @param folderName the name of the cell's folder in the store (the task computes into a folder of that name)
 * @param dataFolder where relative data paths start, as the driver sees it; executors read data there too
 */
record CellSpec(String id, LinkedHashMap<String, String> axes, String configYaml, String folderName,
        String dataFolder) implements Serializable {
    private static final long serialVersionUID = 1L;

    CellSpec {
        requireNonNull(id, "id is null");
        requireNonNull(axes, "axes is null");
        requireNonNull(configYaml, "configYaml is null");
        requireNonNull(folderName, "folderName is null");
        requireNonNull(dataFolder, "dataFolder is null");
    }

    static CellSpec of(CellTask task) {
        Cell cell = task.cell();
        return new CellSpec(cell.id(), new LinkedHashMap<>(cell.axes()), ConfigFiles.toYaml(cell.config()),
                task.folder().getFileName().toString(), task.dataFolder().toAbsolutePath().toString());
    }

    /** The cell again, its configuration parsed and its id checked: a task never runs another configuration. */
    Cell cell() {
        RunConfig config = ConfigFiles.parse(configYaml, "cell " + id);
        String found = CellIds.of(config);
        if (!found.equals(id)) {
            throw new IllegalStateException(("cell %s's configuration reads back as cell %s: the driver and the "
                    + "executor run different thetalazy versions; submit the same jar to both").formatted(id, found));
        }
        return new Cell(id, axes, config);
    }
}
