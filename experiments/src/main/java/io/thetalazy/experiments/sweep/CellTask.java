package io.thetalazy.experiments.sweep;

import static java.util.Objects.requireNonNull;

import io.thetalazy.experiments.config.Cell;
import java.nio.file.Path;

/**
 * A cell as an executor receives it, self-contained: the configuration in, the results folder out.
 *
 * @param folder the cell's run folder
 * @param dataFolder where relative data paths start (the experiment file's folder)
 */
public record CellTask(Cell cell, Path folder, Path dataFolder) {
    public CellTask {
        requireNonNull(cell, "cell is null");
        requireNonNull(folder, "folder is null");
        requireNonNull(dataFolder, "dataFolder is null");
    }
}
