package io.thetalazy.experiments.report;

import static io.thetalazy.core.error.ErrorCode.INVALID_FILE;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.thetalazy.core.error.FrameworkException;
import io.thetalazy.core.layer.Network;
import io.thetalazy.core.layer.Params;
import io.thetalazy.core.layer.TrainableLayer;
import io.thetalazy.core.train.MetricsRow;
import io.thetalazy.core.train.TrainingListener;
import io.thetalazy.core.train.TrainingResult;
import io.thetalazy.experiments.config.ConfigFiles;
import io.thetalazy.experiments.config.RunConfig;
import io.thetalazy.experiments.data.Dataset;
import io.thetalazy.kernels.io.AtomicFiles;
import io.thetalazy.kernels.io.Npy;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A run's results folder (docs/formats.md#run-folder): config.yaml, card.json, metrics.csv, summary.json, data/x.npy
 * and data/y.npy, params/init/ and params/final/ (unless training.saveParams is false), and plots. Every file is
 * complete or absent: metrics stream into {@code metrics.csv.partial}, flushed per row and renamed when the run ends;
 * the others are written atomically. An interrupted run keeps its partial metrics; summary.json only exists for
 * finished runs.
 */
public final class RunFolder implements TrainingListener, AutoCloseable {
    public static final String METRICS = "metrics.csv";
    public static final String SUMMARY = "summary.json";

    private final Path folder;
    private final Network network;
    private final List<String> extraColumns;
    private final String learningRateMode;
    private final String dtype;
    private final boolean saveParams;
    private final List<MetricsRow> rows = new ArrayList<>();
    private BufferedWriter metrics;

    /**
     * @param dtype the type training computes in ({@code float64} or {@code float32}), recorded in card.json
     * @param saveParams whether params/init and params/final are written (training.saveParams)
     */
    public RunFolder(Path folder, Network network, List<String> extraColumns, String learningRateMode, String dtype,
            boolean saveParams) {
        this.dtype = dtype;
        this.saveParams = saveParams;
        this.folder = folder;
        this.network = network;
        this.extraColumns = List.copyOf(extraColumns);
        this.learningRateMode = learningRateMode;
        try {
            Files.createDirectories(folder);
        } catch (IOException e) {
            throw new FrameworkException(INVALID_FILE, "cannot create results folder %s: %s".formatted(folder, e.getMessage()), e);
        }
    }

    public Path folder() {
        return folder;
    }

    /** Writes the resolved config, the data as trained on, and the initial parameters (when they are kept). */
    public void writeInputs(RunConfig config, Dataset data, Params initial) {
        AtomicFiles.writeString(folder.resolve("config.yaml"), ConfigFiles.toYaml(config));
        Npy.write(folder.resolve("data/x.npy"), data.x());
        Npy.write(folder.resolve("data/y.npy"), data.y());
        if (saveParams) {
            writeParams(folder.resolve("params/init"), initial);
        }
    }

    public void writeParams(Path target, Params params) {
        for (String name : params.names()) {
            Npy.write(target.resolve(name + ".npy"), params.get(name));
        }
    }

    @Override
    public void onStart(double initialLearningRate) {
        writeJson(folder.resolve("card.json"), Card.json(network, learningRateMode, initialLearningRate).put("dtype", dtype));
        openMetrics();
    }

    private void openMetrics() {
        try {
            if (metrics != null) {
                metrics.close();
            }
            rows.clear();
            metrics = Files.newBufferedWriter(folder.resolve(METRICS + ".partial"));
            List<String> header = new ArrayList<>(List.of("step", "time", "learningRate", "loss", "rd"));
            for (TrainableLayer layer : network.trainables()) {
                header.add("rd-" + layer.index());
            }
            header.addAll(extraColumns);
            metrics.write(String.join(",", header));
            metrics.newLine();
            metrics.flush();
        } catch (IOException e) {
            throw new FrameworkException(INVALID_FILE, "cannot write metrics in %s: %s".formatted(folder, e.getMessage()), e);
        }
    }

    /** The length of metrics.csv.partial so far (every row is flushed as it is recorded). */
    public long metricsBytes() {
        try {
            return Files.size(folder.resolve(METRICS + ".partial"));
        } catch (IOException e) {
            throw new FrameworkException(INVALID_FILE, "cannot read the length of %s: %s".formatted(
                    folder.resolve(METRICS + ".partial"), OutputFolder.reason(e)), e);
        }
    }

    /**
     * Continues the metrics of an interrupted run: metrics.csv.partial is cut to the {@code bytes} its checkpoint
     * recorded (rows written after the checkpoint are recorded again) and appended to from there.
     */
    public void resume(long bytes) {
        Path partial = folder.resolve(METRICS + ".partial");
        try {
            if (!Files.exists(partial) || Files.size(partial) < bytes) {
                throw new FrameworkException(INVALID_FILE, ("%s is missing or shorter than its checkpoint records (%d "
                        + "bytes): rerun with --overwrite to start again").formatted(partial, bytes));
            }
            try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(partial,
                    java.nio.file.StandardOpenOption.WRITE)) {
                channel.truncate(bytes);
            }
            rows.clear();
            List<String> lines = Files.readAllLines(partial);
            int columns = 5 + network.trainables().size() + extraColumns.size();
            for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
                String[] cells = line.split(",");
                if (cells.length != columns) {
                    throw new FrameworkException(INVALID_FILE, "%s has a row of %d values, its header %d: rerun with "
                            .formatted(partial, cells.length, columns) + "--overwrite to start again");
                }
                double[] values = java.util.Arrays.stream(cells).mapToDouble(Double::parseDouble).toArray();
                List<Double> layerRd = new ArrayList<>();
                for (int l = 0; l < network.trainables().size(); l++) {
                    layerRd.add(values[5 + l]);
                }
                List<Double> extras = new ArrayList<>();
                for (int e = 5 + network.trainables().size(); e < columns; e++) {
                    extras.add(values[e]);
                }
                rows.add(new MetricsRow((long) values[0], values[1], values[2], values[3], values[4], layerRd, extras));
            }
            metrics = Files.newBufferedWriter(partial, java.nio.file.StandardOpenOption.APPEND);
        } catch (IOException | NumberFormatException e) {
            throw new FrameworkException(INVALID_FILE, "cannot continue %s: %s".formatted(partial,
                    e instanceof IOException io ? OutputFolder.reason(io) : "a value is not a number"), e);
        }
    }

    @Override
    public void onRecord(MetricsRow row) {
        rows.add(row);
        StringBuilder line = new StringBuilder();
        line.append(row.step()).append(',').append(number(row.time())).append(',').append(number(row.learningRate()))
                .append(',').append(number(row.loss())).append(',').append(number(row.rd()));
        for (double rd : row.layerRd()) {
            line.append(',').append(number(rd));
        }
        for (double value : row.extras()) {
            line.append(',').append(number(value));
        }
        try {
            metrics.write(line.toString());
            metrics.newLine();
            metrics.flush();
        } catch (IOException e) {
            throw new FrameworkException(INVALID_FILE, "cannot write metrics in %s: %s".formatted(folder, e.getMessage()), e);
        }
    }

    @Override
    public void onRestart(int restart, String reason) {
        // the discarded attempt's rows are replaced; onStart of the next attempt reopens the file
    }

    /** The rows recorded so far (after {@link #resume}: those before the checkpoint). */
    public List<MetricsRow> rows() {
        return List.copyOf(rows);
    }

    /** Whether a metrics row has been recorded (the run got as far as its first step). */
    public boolean recorded() {
        return !rows.isEmpty();
    }

    /** Deletes every file of the run (a run that failed before its first step leaves nothing half-written). */
    public void discard() {
        close();
        metrics = null;
        for (String name : List.of("config.yaml", "card.json", SUMMARY, METRICS, METRICS + ".partial", "loss.png",
                "rd.png", "data", "params", Checkpoints.FOLDER)) {
            Path path = folder.resolve(name);
            if (!Files.exists(path)) {
                continue;
            }
            try (java.util.stream.Stream<Path> tree = Files.walk(path)) {
                for (Path p : tree.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            } catch (IOException e) {
                throw new FrameworkException(INVALID_FILE, "cannot delete %s: %s".formatted(path,
                        OutputFolder.reason(e)), e);
            }
        }
    }

    /**
     * Final parameters, the complete metrics.csv, the plots and, last, summary.json: a folder with a summary holds
     * every file of the run.
     */
    public void finish(TrainingResult result, Params finalParams) {
        if (saveParams) {
            writeParams(folder.resolve("params/final"), finalParams);
        }
        closeMetrics();
        plot();
        writeJson(folder.resolve(SUMMARY), summary(result));
    }

    public static ObjectNode summary(TrainingResult result) {
        ObjectNode summary = Card.JSON.createObjectNode();
        summary.put("status", result.status().label());
        summary.put("steps", result.steps());
        summary.put("finalLoss", result.finalLoss());
        summary.put("finalRd", result.finalRd());
        summary.put("wallSeconds", result.wallSeconds());
        ArrayNode perLayer = summary.putArray("finalLayerRd");
        result.finalLayerRd().forEach(perLayer::add);
        summary.put("initialLoss", result.initialLoss());
        summary.put("initialOutputScale", result.initialOutputScale());
        summary.put("initialLearningRate", result.initialLearningRate());
        summary.put("finalLearningRate", result.finalLearningRate());
        summary.put("restarts", result.restarts());
        if (!result.message().isEmpty()) {
            summary.put("message", result.message());
        }
        return summary;
    }

    private void closeMetrics() {
        if (metrics == null) {
            return;
        }
        try {
            metrics.close();
            metrics = null;
            Files.move(folder.resolve(METRICS + ".partial"), folder.resolve(METRICS), StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new FrameworkException(INVALID_FILE, "cannot finish metrics in %s: %s".formatted(folder, e.getMessage()), e);
        }
    }

    private void plot() {
        if (rows.size() < 2) {
            return;
        }
        double[] steps = rows.stream().mapToDouble(MetricsRow::step).toArray();
        Map<String, List<double[]>> loss = new LinkedHashMap<>();
        loss.put("loss", List.of(steps, rows.stream().mapToDouble(MetricsRow::loss).toArray()));
        Plots.lines(folder.resolve("loss.png"), "training loss R_S", "step", "loss", loss, false, true, false);
        Map<String, List<double[]>> rd = new LinkedHashMap<>();
        rd.put("RD (all layers)", List.of(steps, rows.stream().mapToDouble(MetricsRow::rd).toArray()));
        for (int l = 0; l < network.trainables().size(); l++) {
            int index = l;
            rd.put("RD_" + (l + 1) + " " + network.trainables().get(l).name(),
                    List.of(steps, rows.stream().mapToDouble(r -> r.layerRd().get(index)).toArray()));
        }
        Plots.lines(folder.resolve("rd.png"), "relative distance from initialization", "step", "RD", rd, false, true,
                false);
    }

    @Override
    public void close() {
        if (metrics != null) {
            try {
                metrics.close();
            } catch (IOException e) {
                // the partial file stays as it is
            }
        }
    }

    public static String number(double value) {
        return Double.isFinite(value) ? String.format(Locale.ROOT, "%.12g", value).trim() : String.valueOf(value);
    }

    public static void writeJson(Path file, Object node) {
        try {
            AtomicFiles.writeString(file, Card.JSON.writeValueAsString(node) + "\n");
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
