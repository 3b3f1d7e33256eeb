package io.thetalazy.experiments.report;

import static io.thetalazy.core.error.ErrorCode.INVALID_FILE;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.thetalazy.core.error.FrameworkException;
import io.thetalazy.core.layer.Params;
import io.thetalazy.core.train.TrainingListener;
import io.thetalazy.core.train.TrainingProgress;
import io.thetalazy.kernels.io.Npy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Checkpoints of a training run, for {@code train --resume}: every {@code everySteps} steps or {@code everySeconds}
 * seconds, the parameters go to {@code checkpoint/step-<k>/<name>.npy} and then {@code checkpoint/checkpoint.json}
 * (the progress, the length of metrics.csv.partial so far, and the folder of the parameters) is replaced atomically;
 * older step folders are deleted after. A kill at any moment leaves checkpoint.json naming a complete folder. A
 * finished run deletes its checkpoints; a divergence restart (a new attempt from step 0) too.
 */
public final class Checkpoints implements TrainingListener {
    public static final String FOLDER = "checkpoint";
    public static final String FILE = "checkpoint.json";

    private final Path run;
    private final Params params;
    private final RunFolder metrics;
    private final long everySteps;
    private final double everySeconds;
    private long lastStep;
    private double lastSeconds;

    /** A checkpoint read back: where training stood, its parameters, and how much of the metrics file was written. */
    public record Saved(TrainingProgress progress, Params params, long metricsBytes) {}

    public Checkpoints(Path run, Params params, RunFolder metrics, long everySteps, double everySeconds,
            long startStep, double startSeconds) {
        this.run = run;
        this.params = params;
        this.metrics = metrics;
        this.everySteps = everySteps;
        this.everySeconds = everySeconds;
        this.lastStep = startStep;
        this.lastSeconds = startSeconds;
    }

    /** Whether {@code run} holds a checkpoint (of an interrupted run). */
    public static boolean exists(Path run) {
        return Files.exists(run.resolve(FOLDER).resolve(FILE));
    }

    @Override
    public void onProgress(TrainingProgress progress) {
        boolean bySteps = everySteps > 0 && progress.step() - lastStep >= everySteps;
        boolean byTime = everySeconds > 0 && progress.wallSeconds() - lastSeconds >= everySeconds;
        if (bySteps || byTime) {
            write(progress);
            lastStep = progress.step();
            lastSeconds = progress.wallSeconds();
        }
    }

    @Override
    public void onRestart(int restart, String reason) {
        clear();   // the discarded attempt's checkpoints would resume it
        lastStep = 0;
    }

    private void write(TrainingProgress progress) {
        Path folder = run.resolve(FOLDER);
        String name = "step-%d".formatted(progress.step());
        Path target = folder.resolve(name);
        metrics.writeParams(target, params);
        ObjectNode json = Card.JSON.createObjectNode();
        json.put("step", progress.step());
        json.put("time", progress.time());
        json.put("learningRate", progress.learningRate());
        json.put("initialLoss", progress.initialLoss());
        json.put("initialOutputScale", progress.initialOutputScale());
        json.put("initialLearningRate", progress.initialLearningRate());
        json.put("restarts", progress.restarts());
        json.put("wallSeconds", progress.wallSeconds());
        json.put("metricsBytes", metrics.metricsBytes());
        json.put("params", name);
        RunFolder.writeJson(folder.resolve(FILE), json);
        deleteOthers(folder, name);
    }

    /** Deletes every checkpoint (a finished run has no use for them). */
    public void clear() {
        delete(run.resolve(FOLDER));
    }

    /**
     * Reads the checkpoint of {@code run}, checking every field and every parameter against {@code template} (the
     * names, shapes and types the network has); a damaged checkpoint is an error naming its file.
     */
    public static Saved read(Path run, Params template) {
        Path file = run.resolve(FOLDER).resolve(FILE);
        JsonNode json;
        try {
            json = Card.JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw damaged(file, "not valid JSON");
        }
        if (json == null || !json.isObject()) {
            throw damaged(file, "empty or not a JSON object");
        }
        for (String field : List.of("step", "restarts", "metricsBytes")) {
            if (!json.path(field).isIntegralNumber() || json.path(field).asLong() < 0) {
                throw damaged(file, "'%s' is missing or not a non-negative integer".formatted(field));
            }
        }
        for (String field : List.of("time", "learningRate", "initialLoss", "initialOutputScale",
                "initialLearningRate", "wallSeconds")) {
            if (!json.path(field).isNumber()) {
                throw damaged(file, "'%s' is missing or not a number".formatted(field));
            }
        }
        String name = json.path("params").asText("");
        if (!name.matches("step-[0-9]+")) {
            throw damaged(file, "'params' must name a step-<k> folder, found '%s'".formatted(name));
        }
        Path folder = file.resolveSibling(name);
        Params params = new Params();
        for (String parameter : template.names()) {
            Path npy = folder.resolve(parameter + ".npy");
            if (!Files.exists(npy)) {
                throw damaged(file, "its parameters lack %s".formatted(npy));
            }
            INDArray array = Npy.read(npy);
            INDArray expected = template.get(parameter);
            if (!Arrays.equals(array.shape(), expected.shape()) || array.dataType() != expected.dataType()) {
                throw damaged(file, "%s is %s %s, the configured network needs %s %s".formatted(npy,
                        array.dataType(), Arrays.toString(array.shape()), expected.dataType(),
                        Arrays.toString(expected.shape())));
            }
            params.put(parameter, array);
        }
        TrainingProgress progress = new TrainingProgress(json.path("step").asLong(), json.path("time").asDouble(),
                json.path("learningRate").asDouble(), json.path("initialLoss").asDouble(),
                json.path("initialOutputScale").asDouble(), json.path("initialLearningRate").asDouble(),
                json.path("restarts").asInt(), json.path("wallSeconds").asDouble());
        return new Saved(progress, params, json.path("metricsBytes").asLong());
    }

    /** The step of the checkpoint in {@code run}, if it has a readable one (for messages). */
    public static Optional<Long> step(Path run) {
        try {
            JsonNode json = Card.JSON.readTree(run.resolve(FOLDER).resolve(FILE).toFile());
            return json != null && json.path("step").isIntegralNumber() ? Optional.of(json.path("step").asLong())
                    : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static FrameworkException damaged(Path file, String what) {
        return new FrameworkException(INVALID_FILE, "%s is damaged: %s; rerun with --overwrite to start again"
                .formatted(file, what));
    }

    private static void deleteOthers(Path folder, String keep) {
        try (Stream<Path> entries = Files.list(folder)) {
            for (Path entry : entries.toList()) {
                String name = entry.getFileName().toString();
                if (Files.isDirectory(entry) && name.startsWith("step-") && !name.equals(keep)) {
                    delete(entry);
                }
            }
        } catch (IOException e) {
            throw new FrameworkException(INVALID_FILE, "cannot list %s: %s".formatted(folder, OutputFolder.reason(e)),
                    e);
        }
    }

    private static void delete(Path tree) {
        if (!Files.exists(tree)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(tree)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new FrameworkException(INVALID_FILE, "cannot delete %s: %s".formatted(tree, OutputFolder.reason(e)),
                    e);
        }
    }
}
