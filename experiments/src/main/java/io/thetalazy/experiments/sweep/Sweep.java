package io.thetalazy.experiments.sweep;

import static io.thetalazy.core.error.ErrorCode.INVALID_FILE;

import com.fasterxml.jackson.databind.JsonNode;
import io.thetalazy.core.error.FrameworkException;
import io.thetalazy.core.plugin.Registry;
import io.thetalazy.core.train.TrainingListener;
import io.thetalazy.experiments.config.RunConfig;
import io.thetalazy.experiments.report.Card;
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
            if (Files.exists(summary)) {
                outcome = read(cell, summary);
            } else {
                RunSetup setup = RunSetup.of(cell.config(), registry, base);
                var result = Runs.train(setup, cell.folder(), progress.apply(cell));
                outcome = new Outcome(cell, result.status().label(), result.steps(), result.finalLoss(), result.finalRd(),
                        result.finalLayerRd(), result.wallSeconds(), false);
            }
            outcomes.add(outcome);
            onDone.accept(outcome);
        }
        return outcomes;
    }

    private static Outcome read(Cell cell, Path summary) {
        try {
            JsonNode node = Card.JSON.readTree(summary.toFile());
            List<Double> perLayer = new ArrayList<>();
            node.path("finalLayerRd").forEach(v -> perLayer.add(v.asDouble()));
            return new Outcome(cell, node.path("status").asText(), node.path("steps").asLong(),
                    node.path("finalLoss").asDouble(), node.path("finalRd").asDouble(), perLayer,
                    node.path("wallSeconds").asDouble(), true);
        } catch (IOException e) {
            throw new FrameworkException(INVALID_FILE, "cannot read %s (delete the cell's folder to redo it): %s"
                    .formatted(summary, e.getMessage()), e);
        }
    }
}
