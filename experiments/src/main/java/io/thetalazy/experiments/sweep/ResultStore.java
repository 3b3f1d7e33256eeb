package io.thetalazy.experiments.sweep;

import static io.thetalazy.core.error.ErrorCode.INVALID_FILE;
import static io.thetalazy.core.error.ErrorCode.OUTPUT_FOLDER;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.thetalazy.core.error.FrameworkException;
import io.thetalazy.experiments.config.Cell;
import io.thetalazy.experiments.config.CellIds;
import io.thetalazy.experiments.config.ConfigFiles;
import io.thetalazy.experiments.config.Experiment;
import io.thetalazy.experiments.config.ExperimentFiles;
import io.thetalazy.experiments.report.Card;
import io.thetalazy.experiments.report.OutputFolder;
import io.thetalazy.experiments.report.RunFolder;
import io.thetalazy.kernels.io.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An experiment's results folder: {@value #EXPERIMENT} (the resolved experiment), {@value #CELLS} (one row per
 * cell), {@value #PROVENANCE}, and one run folder per cell under {@value #CELL_FOLDERS}/. The cell folders are the
 * truth: a cell is finished when its summary.json exists (written last, atomically), failed when its
 * {@value #FAILURE} exists, and pending otherwise (an interrupted cell's files are never read as a result);
 * cells.csv is rebuilt from them.
 */
public final class ResultStore {
    public static final String EXPERIMENT = "experiment.yaml";
    public static final String CELLS = "cells.csv";
    public static final String PROVENANCE = "provenance.json";
    public static final String CELL_FOLDERS = "cells";
    public static final String FAILURE = "failure.json";

    private final Path folder;
    private final Experiment experiment;

    public ResultStore(Path folder, Experiment experiment) {
        this.folder = folder;
        this.experiment = experiment;
    }

    /** The store of an experiment folder written before, read from its experiment.yaml. */
    public static ResultStore open(Path folder) {
        Path file = folder.resolve(EXPERIMENT);
        if (!Files.isRegularFile(file)) {
            throw new FrameworkException(INVALID_FILE, "%s holds no experiment (no %s); run one there with thetalazy "
                    .formatted(folder, EXPERIMENT) + "run FILE --out " + folder);
        }
        return new ResultStore(folder, ExperimentFiles.readResolved(file));
    }

    public Path folder() {
        return folder;
    }

    public Experiment experiment() {
        return experiment;
    }

    public Path cellFolder(Cell cell) {
        return folder.resolve(CELL_FOLDERS).resolve(cell.folderName(experiment.labels()));
    }

    /** Writes the resolved experiment, every cell's full configuration included. */
    public void writeExperiment() {
        AtomicFiles.writeString(folder.resolve(EXPERIMENT), ExperimentFiles.resolvedYaml(experiment));
    }

    /** Every cell's state, in the experiment's order. */
    public Map<Cell, CellResult> readAll() {
        Map<Cell, CellResult> results = new LinkedHashMap<>();
        for (Cell cell : experiment.cells()) {
            results.put(cell, read(cell));
        }
        return results;
    }

    /**
     * A cell's state from its folder. A folder holding a finished run of another configuration is an error naming
     * the folder and the settings that differ: a result is never reused for a configuration it did not run.
     */
    public CellResult read(Cell cell) {
        Path cellFolder = cellFolder(cell);
        Path summary = cellFolder.resolve(RunFolder.SUMMARY);
        Path failure = cellFolder.resolve(FAILURE);
        if (Files.exists(summary)) {
            checkSameConfig(cell, cellFolder);
            return readSummary(cell, summary);
        }
        if (Files.exists(failure)) {
            JsonNode node = json(failure);
            return CellResult.failed(node.path("message").asText(), node.path("wallSeconds").asDouble(Double.NaN));
        }
        return CellResult.pending();
    }

    /** Records that a cell failed, with the error's message (atomically: the file is complete or absent). */
    public static void writeFailure(Path cellFolder, String message, double wallSeconds) {
        ObjectNode node = Card.JSON.createObjectNode();
        node.put("status", CellResult.FAILED);
        node.put("message", message);
        node.put("wallSeconds", wallSeconds);
        RunFolder.writeJson(cellFolder.resolve(FAILURE), node);
    }

    /**
     * Rewrites cells.csv: one row per cell in the experiment's order with its id, folder, axis values, status,
     * steps, final loss, RD and every RD_l, the learning rates, restarts, wall time and message.
     */
    public void writeCells(Map<Cell, CellResult> results) {
        AtomicFiles.writeString(folder.resolve(CELLS), cellsCsv(results));
    }

    public String cellsCsv(Map<Cell, CellResult> results) {
        int layers = results.keySet().stream().mapToInt(c -> c.config().depth() + 1).max().orElse(0);
        List<String> header = new ArrayList<>(List.of("id", "folder"));
        header.addAll(experiment.axes());
        header.addAll(List.of("status", "steps", "finalLoss", "rd"));
        for (int l = 1; l <= layers; l++) {
            header.add("rd-" + l);
        }
        header.addAll(List.of("rdMax", "initialLearningRate", "finalLearningRate", "restarts", "wallSeconds", "message"));
        StringBuilder csv = new StringBuilder(String.join(",", header)).append('\n');
        results.forEach((cell, result) -> {
            List<String> row = new ArrayList<>(List.of(cell.id(), CELL_FOLDERS + "/" + cell.folderName(experiment.labels())));
            experiment.axes().forEach(axis -> row.add(cell.axes().getOrDefault(axis, "")));
            boolean numbers = result.done() && !result.failed();
            row.add(result.status());
            row.add(numbers ? String.valueOf(result.steps()) : "");
            row.add(numbers ? RunFolder.number(result.finalLoss()) : "");
            row.add(numbers ? RunFolder.number(result.finalRd()) : "");
            for (int l = 0; l < layers; l++) {
                row.add(numbers && l < result.finalLayerRd().size() ? RunFolder.number(result.finalLayerRd().get(l)) : "");
            }
            row.add(numbers ? RunFolder.number(result.maxLayerRd()) : "");
            row.add(numbers ? RunFolder.number(result.initialLearningRate()) : "");
            row.add(numbers ? RunFolder.number(result.finalLearningRate()) : "");
            row.add(numbers ? String.valueOf(result.restarts()) : "");
            row.add(result.done() && Double.isFinite(result.wallSeconds()) ? "%.3f".formatted(result.wallSeconds()) : "");
            row.add(result.message());
            csv.append(String.join(",", row.stream().map(ResultStore::csvField).toList())).append('\n');
        });
        return csv.toString();
    }

    private static String csvField(String value) {
        if (value.contains(",") || value.contains("\"") || value.contains("\n")) {
            return "\"" + value.replace("\"", "\"\"").replace("\n", " ") + "\"";
        }
        return value;
    }

    private void checkSameConfig(Cell cell, Path cellFolder) {
        Path file = cellFolder.resolve("config.yaml");
        String recorded;
        try {
            recorded = CellIds.canonical(ConfigFiles.parse(Files.readString(file), file.toString()));
        } catch (IOException e) {
            throw new FrameworkException(INVALID_FILE, "cannot read %s (the cell's summary.json exists without it): %s"
                    .formatted(file, OutputFolder.reason(e)), e);
        }
        String canonical = CellIds.canonical(cell.config());
        if (!recorded.equals(canonical)) {
            JsonNode folderTree = tree(recorded);
            JsonNode expected = tree(canonical);
            List<String> differences = new ArrayList<>();
            differences(folderTree, expected, "", differences);
            throw new FrameworkException(OUTPUT_FOLDER, ("%s holds a finished run of another configuration than cell %s "
                    + "(%s): %s; delete that folder to redo the cell, or choose another --out").formatted(cellFolder,
                    cell.id(), cell.axes(), String.join("; ", differences.subList(0, Math.min(5, differences.size())))));
        }
    }

    private static JsonNode tree(String json) {
        try {
            return Card.JSON.readTree(json);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** "width: 64 in the folder, 128 in the experiment" for every setting that differs. */
    private static void differences(JsonNode folder, JsonNode experiment, String prefix, List<String> into) {
        if (folder != null && experiment != null && folder.isObject() && experiment.isObject()) {
            List<String> names = new ArrayList<>();
            experiment.fieldNames().forEachRemaining(names::add);
            folder.fieldNames().forEachRemaining(name -> {
                if (!names.contains(name)) {
                    names.add(name);
                }
            });
            for (String name : names) {
                differences(folder.get(name), experiment.get(name), prefix + name + ".", into);
            }
            return;
        }
        if (folder == null || !folder.equals(experiment)) {
            into.add("%s: %s in the folder, %s in the experiment".formatted(prefix.substring(0, prefix.length() - 1),
                    folder == null ? "nothing" : folder, experiment == null ? "nothing" : experiment));
        }
    }

    private static JsonNode json(Path file) {
        try {
            JsonNode node = Card.JSON.readTree(file.toFile());
            if (node == null || !node.isObject()) {
                throw damaged(file, "empty or not a JSON object");
            }
            return node;
        } catch (IOException e) {
            throw damaged(file, "not valid JSON (" + e.getClass().getSimpleName() + ")");
        }
    }

    /** A finished cell's summary.json, checking every field it uses (a damaged file names itself). */
    private static CellResult readSummary(Cell cell, Path summary) {
        JsonNode node = json(summary);
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
        for (Iterator<JsonNode> values = layers.elements(); values.hasNext(); ) {
            JsonNode value = values.next();
            if (!numeric(value)) {
                throw damaged(summary, "field 'finalLayerRd' holds " + value + ", not a number");
            }
            perLayer.add(value.asDouble());
        }
        return new CellResult(node.path("status").asText(), node.path("steps").asLong(),
                node.path("finalLoss").asDouble(), node.path("finalRd").asDouble(), perLayer,
                node.path("initialLearningRate").asDouble(Double.NaN), node.path("finalLearningRate").asDouble(Double.NaN),
                node.path("restarts").asInt(0), node.path("wallSeconds").asDouble(), node.path("message").asText(""));
    }

    /** A JSON number, or the strings Jackson writes for non-finite doubles. */
    private static boolean numeric(JsonNode value) {
        return value.isNumber() || value.isTextual() && List.of("NaN", "Infinity", "-Infinity").contains(value.asText());
    }

    private static FrameworkException damaged(Path file, String what) {
        return new FrameworkException(INVALID_FILE, "%s is damaged: %s; delete the cell's folder to redo it, or rerun "
                .formatted(file, what) + "with --overwrite");
    }
}
