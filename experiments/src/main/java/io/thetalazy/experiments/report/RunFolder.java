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
 * A run's results folder (DESIGN 1.6): config.yaml, card.json, metrics.csv, summary.json, data/x.npy and data/y.npy,
 * params/init/ and params/final/, and plots. Every file is complete or absent: metrics stream into
 * {@code metrics.csv.partial}, flushed per row and renamed when the run ends; the others are written atomically.
 * An interrupted run keeps its partial metrics; summary.json only exists for finished runs.
 */
public final class RunFolder implements TrainingListener, AutoCloseable {
    public static final String METRICS = "metrics.csv";
    public static final String SUMMARY = "summary.json";

    private final Path folder;
    private final Network network;
    private final List<String> extraColumns;
    private final String learningRateMode;
    private final String dtype;
    private final List<MetricsRow> rows = new ArrayList<>();
    private BufferedWriter metrics;

    public RunFolder(Path folder, Network network, List<String> extraColumns, String learningRateMode) {
        this(folder, network, extraColumns, learningRateMode, "float64");
    }

    /** @param dtype the type training computes in ({@code float64} or {@code float32}), recorded in card.json */
    public RunFolder(Path folder, Network network, List<String> extraColumns, String learningRateMode, String dtype) {
        this.dtype = dtype;
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

    /** Writes the resolved config, the data as trained on, and the initial parameters. */
    public void writeInputs(RunConfig config, Dataset data, Params initial) {
        AtomicFiles.writeString(folder.resolve("config.yaml"), ConfigFiles.toYaml(config));
        Npy.write(folder.resolve("data/x.npy"), data.x());
        Npy.write(folder.resolve("data/y.npy"), data.y());
        writeParams(folder.resolve("params/init"), initial);
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

    /** Final parameters, summary.json, the complete metrics.csv and the plots. */
    public void finish(TrainingResult result, Params finalParams) {
        writeParams(folder.resolve("params/final"), finalParams);
        closeMetrics();
        writeJson(folder.resolve(SUMMARY), summary(result));
        plot();
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
