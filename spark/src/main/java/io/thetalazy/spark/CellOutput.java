package io.thetalazy.spark;

import static java.util.Objects.requireNonNull;

import io.thetalazy.experiments.sweep.CellResult;
import java.io.Serializable;
import java.util.Arrays;
import java.util.List;

/**
 * What a Spark task hands back for a finished cell: its result (the cells.csv row) and every file of its run folder,
 * for the driver to write into the store.
 *
 * @param finalLayerRd RD_l for l = 1..L+1
 * @param files the run folder's files by path relative to it ({@code params/final/dense-1.npy}), summary.json
 *     among them
 */
record CellOutput(String status, long steps, double finalLoss, double finalRd, double[] finalLayerRd,
        double initialLearningRate, double finalLearningRate, int restarts, double wallSeconds, String message,
        List<File> files) implements Serializable {
    private static final long serialVersionUID = 1L;

    CellOutput {
        requireNonNull(status, "status is null");
        finalLayerRd = finalLayerRd.clone();
        files = List.copyOf(files);
    }

    /** One file of a run folder. */
    record File(String path, byte[] bytes) implements Serializable {
        private static final long serialVersionUID = 1L;

        File {
            requireNonNull(path, "path is null");
            requireNonNull(bytes, "bytes is null");
        }
    }

    static CellOutput of(CellResult result, List<File> files) {
        return new CellOutput(result.status(), result.steps(), result.finalLoss(), result.finalRd(),
                result.finalLayerRd().stream().mapToDouble(Double::doubleValue).toArray(), result.initialLearningRate(),
                result.finalLearningRate(), result.restarts(), result.wallSeconds(), result.message(), files);
    }

    CellResult result() {
        return new CellResult(status, steps, finalLoss, finalRd, Arrays.stream(finalLayerRd).boxed().toList(),
                initialLearningRate, finalLearningRate, restarts, wallSeconds, message);
    }

    long bytes() {
        return files.stream().mapToLong(file -> file.bytes().length).sum();
    }
}
