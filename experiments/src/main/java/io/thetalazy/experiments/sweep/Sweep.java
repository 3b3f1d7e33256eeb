package io.thetalazy.experiments.sweep;

import static io.thetalazy.core.error.ErrorCode.INVALID_FILE;
import static io.thetalazy.core.error.ErrorCode.OUTPUT_FOLDER;

import com.fasterxml.jackson.databind.JsonNode;
import io.thetalazy.core.error.FrameworkException;
import io.thetalazy.core.plugin.Registry;
import io.thetalazy.core.train.TrainingListener;
import io.thetalazy.core.train.TrainingResult;
import io.thetalazy.experiments.config.ConfigFiles;
import io.thetalazy.experiments.config.RunConfig;
import io.thetalazy.experiments.report.Card;
import io.thetalazy.experiments.report.Checkpoints;
import io.thetalazy.experiments.report.OutputFolder;
import io.thetalazy.experiments.report.OutputFolder.Kind;
import io.thetalazy.experiments.report.OutputFolder.Mode;
import io.thetalazy.experiments.report.RunFolder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A resumable list of runs: each cell has its own folder; a cell whose summary.json exists is read back, not redone.
 */
public final class Sweep {
    private final Registry registry;
    private final Path base;

    public Sweep(Registry registry, Path base) {
        this.registry = registry;
        this.base = base;
    }

    /** One cell: a label, its config and its folder. */
    public record Cell(String label, RunConfig config, Path folder) {}

    /** A finished cell: status, steps, final loss, total and per-layer RD, wall time, and whether it was reused. */
    public record Outcome(Cell cell, String status, long steps, double finalLoss, double finalRd, List<Double> finalLayerRd,
            double wallSeconds, boolean reused) {
        public Outcome {
            finalLayerRd = List.copyOf(finalLayerRd);
        }
    }

    /** Runs (or reads back) every cell in order; {@code progress} makes each cell's progress listener. */
    public List<Outcome> run(List<Cell> cells, Function<Cell, TrainingListener> progress,
            java.util.function.Consumer<Outcome> onDone) {
        List<Outcome> outcomes = new ArrayList<>();
        for (Cell cell : cells) {
            Path summary = cell.folder().resolve(RunFolder.SUMMARY);
            Outcome outcome;
            RunSetup setup = RunSetup.of(cell.config(), registry, base);
            try (OutputFolder folder = OutputFolder.claim(cell.folder(), Kind.TRAIN, Mode.CONTINUE,
                    "thetalazy sweep cell " + cell.label())) {
                if (Files.exists(summary)) {
                    checkSameConfig(cell);
                    outcome = read(cell, summary);
                } else {
                    TrainingResult result;
                    if (Checkpoints.exists(cell.folder())) {   // an interrupted cell continues from its checkpoint
                        result = Runs.resume(setup, cell.folder(), progress.apply(cell));
                    } else {
                        folder.clear();   // interrupted before its first checkpoint: redone from its start
                        result = Runs.train(setup, cell.folder(), progress.apply(cell));
                    }
                    outcome = new Outcome(cell, result.status().label(), result.steps(), result.finalLoss(),
                            result.finalRd(), result.finalLayerRd(), result.wallSeconds(), false);
                }
            }
            outcomes.add(outcome);
            onDone.accept(outcome);
        }
        return outcomes;
    }

    /** A finished cell is read back only if it ran the cell's config: a results folder belongs to one run. */
    private static void checkSameConfig(Cell cell) {
        Path file = cell.folder().resolve("config.yaml");
        String recorded;
        try {
            recorded = Files.readString(file);
        } catch (IOException e) {
            throw new FrameworkException(INVALID_FILE, "cannot read %s (the cell's summary.json exists without it): %s"
                    .formatted(file, OutputFolder.reason(e)), e);
        }
        if (!recorded.equals(ConfigFiles.toYaml(cell.config()))) {
            throw new FrameworkException(OUTPUT_FOLDER, ("%s holds a finished run of another config than cell %s; add "
                    + "--overwrite to delete the folder's contents first, or choose another --out")
                    .formatted(cell.folder(), cell.label()));
        }
    }

    /** Reads a finished cell's summary.json, checking every field it uses (a damaged file names itself). */
    private static Outcome read(Cell cell, Path summary) {
        JsonNode node;
        try {
            node = Card.JSON.readTree(summary.toFile());
        } catch (IOException e) {
            throw damaged(summary, "not valid JSON (" + e.getClass().getSimpleName() + ")");
        }
        if (node == null || !node.isObject()) {
            throw damaged(summary, "empty or not a JSON object");
        }
        for (String field : List.of("steps", "finalLoss", "finalRd", "wallSeconds")) {
            if (!numeric(node.path(field))) {
                throw damaged(summary, "field '%s' is missing or not a number".formatted(field));
            }
        }
        if (!node.path("status").isTextual() || node.path("status").asText().isEmpty()) {
            throw damaged(summary, "field 'status' is missing or not a string");
        }
        JsonNode layers = node.path("finalLayerRd");
        int expected = cell.config().depth() + 1;
        if (!layers.isArray() || layers.size() != expected) {
            throw damaged(summary, "field 'finalLayerRd' must list %d numbers (depth + 1)".formatted(expected));
        }
        List<Double> perLayer = new ArrayList<>();
        for (JsonNode value : layers) {
            if (!numeric(value)) {
                throw damaged(summary, "field 'finalLayerRd' holds " + value + ", not a number");
            }
            perLayer.add(value.asDouble());
        }
        return new Outcome(cell, node.path("status").asText(), node.path("steps").asLong(),
                node.path("finalLoss").asDouble(), node.path("finalRd").asDouble(), perLayer,
                node.path("wallSeconds").asDouble(), true);
    }

    /** A JSON number, or the strings Jackson writes for non-finite doubles. */
    private static boolean numeric(JsonNode value) {
        return value.isNumber()
                || value.isTextual() && List.of("NaN", "Infinity", "-Infinity").contains(value.asText());
    }

    private static FrameworkException damaged(Path summary, String what) {
        return new FrameworkException(INVALID_FILE, "%s is damaged: %s; delete the cell's folder to redo it, or rerun "
                .formatted(summary, what) + "with --overwrite");
    }
}
