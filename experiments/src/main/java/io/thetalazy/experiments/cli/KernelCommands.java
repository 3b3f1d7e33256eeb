package io.thetalazy.experiments.cli;

import static io.thetalazy.core.error.ErrorCode.INVALID_FILE;
import static io.thetalazy.core.error.ErrorCode.SHAPE_MISMATCH;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.thetalazy.core.error.FrameworkException;
import io.thetalazy.core.layer.Network;
import io.thetalazy.core.layer.Params;
import io.thetalazy.core.plugin.Registry;
import io.thetalazy.experiments.data.DataSources;
import io.thetalazy.experiments.report.Card;
import io.thetalazy.experiments.report.OutputFolder;
import io.thetalazy.experiments.report.OutputFolder.Kind;
import io.thetalazy.experiments.report.OutputFolder.Mode;
import io.thetalazy.experiments.report.RunFolder;
import io.thetalazy.experiments.sweep.RunSetup;
import io.thetalazy.kernels.io.Npy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** What the kernel and ntk commands share: config, input sets, output folder. */
abstract class KernelCommands {
    final Registry registry;

    @Mixin
    ConfigOptions options = new ConfigOptions();

    @Option(names = "--x1", description = "first input set (.npy, [n1, ...]); default: the config's training inputs")
    Path x1;

    @Option(names = "--x2", description = "second input set (.npy, [n2, ...]); default: x1 (symmetric)")
    Path x2;

    @Option(names = "--out", required = true, description = "output folder (created; refused if it holds a training "
            + "run, and if it holds other results or files unless --overwrite)")
    Path out;

    @Mixin
    OutputOptions output = new OutputOptions();

    KernelCommands(Registry registry) {
        this.registry = registry;
    }

    RunSetup setup() {
        return options.setup(registry);
    }

    INDArray first(RunSetup setup) {
        return x1 == null ? setup.data().x() : input("--x1", x1, setup);
    }

    INDArray second(RunSetup setup, INDArray first) {
        return x2 == null ? first : input("--x2", x2, setup);
    }

    /** An input set read from a file, checked against the network's input shape, the option and file named. */
    static INDArray input(String option, Path file, RunSetup setup) {
        INDArray x = Npy.read(file);
        long[] expected = setup.network().spec().inputShape().batch(x.size(0));
        if (!Arrays.equals(x.shape(), expected)) {
            String features = Arrays.toString(Arrays.copyOfRange(expected, 1, expected.length));
            features = features.substring(1, features.length() - 1);
            String data = setup.config().data().name();
            String bias = DataSources.appendsBiasCoordinate(data) && expected.length == 2
                    ? "; data set '%s' appends a bias coordinate to its features (a constant column, the last of the "
                            .formatted(data) + "%s): give %s that column too".formatted(features, option)
                    : "";
            throw new FrameworkException(SHAPE_MISMATCH, "%s %s has shape %s; the network takes inputs of shape "
                    .formatted(option, file, Arrays.toString(x.shape())) + "[n, %s]%s".formatted(features, bias));
        }
        DataSources.checkScale(x, "%s %s: the inputs".formatted(option, file));
        setup.network().checkInput(x);
        return x;
    }

    /** Claims the output folder; a training run's folder is refused (kernels go to a folder of their own). */
    OutputFolder claim(Kind kind) {
        return output.claim(out, kind, Mode.NEW, "thetalazy " + kind.name().toLowerCase(java.util.Locale.ROOT));
    }

    static ArrayNode shape(ObjectNode node, String field, INDArray array) {
        ArrayNode shape = node.putArray(field);
        Arrays.stream(array.shape()).forEach(shape::add);
        return shape;
    }

    /** The card.json fields a run's parameters must share with the configured network to be its weights. */
    private static final List<String> SAME_NETWORK = List.of("architecture", "width", "depth", "inputDimension",
            "activation", "bias", "antisymmetric", "rule", "dtype");

    /**
     * Reads a run's parameters: a run folder, its params/ folder, or a params/init or params/final folder. When the
     * run's card.json is there, the run must have the configured network (same activation, rule, antisymmetry,
     * dtype, ...), not just the same shapes.
     */
    static Params readParams(Network network, String dtype, Path folder) {
        Path dir = folder;
        if (!Files.isDirectory(dir.resolve("params")) && Files.exists(dir.resolve(RunFolder.SUMMARY))) {
            throw new FrameworkException(INVALID_FILE, ("%s kept no parameters (it ran with training.saveParams: "
                    + "false): leave out --params for the initialization of its config's seed").formatted(folder));
        }
        if (Files.isDirectory(dir.resolve("params"))) {
            dir = dir.resolve("params");
        }
        if (Files.isDirectory(dir.resolve("final"))) {
            dir = dir.resolve("final");
        }
        Path above = dir.toAbsolutePath().getParent();
        Path card = above == null || above.getParent() == null ? null : above.getParent().resolve("card.json");
        if (card != null && above.getFileName().toString().equals("params") && Files.exists(card)) {
            checkSameNetwork(card, Card.json(network, "fixed", Double.NaN).put("dtype", dtype));
        }
        Params template = network.init(0);
        Params params = new Params();
        for (String name : template.names()) {
            Path file = dir.resolve(name + ".npy");
            if (!Files.exists(file)) {
                throw new FrameworkException(INVALID_FILE, ("%s has no %s.npy: --params takes a run folder or its "
                        + "params/init or params/final folder of this network").formatted(dir, name));
            }
            INDArray array = Npy.read(file);
            if (!Arrays.equals(array.shape(), template.get(name).shape())) {
                throw new FrameworkException(SHAPE_MISMATCH, "%s has shape %s, the configured network needs %s"
                        .formatted(file, Arrays.toString(array.shape()), Arrays.toString(template.get(name).shape())));
            }
            params.put(name, array);
        }
        return params;
    }

    private static void checkSameNetwork(Path card, ObjectNode configured) {
        JsonNode recorded;
        try {
            recorded = Card.JSON.readTree(card.toFile());
        } catch (IOException e) {
            throw new FrameworkException(INVALID_FILE, "%s is damaged (not valid JSON): --params needs the run's card"
                    .formatted(card));
        }
        if (recorded == null || !recorded.isObject()) {
            throw new FrameworkException(INVALID_FILE, "%s is damaged (empty or not a JSON object)".formatted(card));
        }
        List<String> differences = new ArrayList<>();
        for (String field : SAME_NETWORK) {
            JsonNode theirs = recorded.path(field);
            JsonNode ours = configured.path(field);
            if (field.equals("dtype") && theirs.isMissingNode()) {
                theirs = TextNode.valueOf("float64");   // cards from before dtype was recorded
            }
            if (!theirs.equals(SAME_VALUE, ours)) {
                differences.add("%s %s (configured: %s)".formatted(field, render(theirs), render(ours)));
            }
        }
        if (!differences.isEmpty()) {
            throw new FrameworkException(SHAPE_MISMATCH, "--params: the run of %s has another network: %s; use the "
                    .formatted(card, String.join(", ", differences)) + "run's config.yaml as --config");
        }
    }

    /** JSON values compared as values: 4 read back equals 4L written, 1 equals 1.0. */
    private static final java.util.Comparator<JsonNode> SAME_VALUE = (a, b) -> a.isNumber() && b.isNumber()
            ? Double.compare(a.doubleValue(), b.doubleValue()) : a.equals(b) ? 0 : 1;

    private static String render(JsonNode node) {
        return node.isMissingNode() ? "absent" : node.isTextual() ? node.asText() : node.toString();
    }

    static void summary(Path out, ObjectNode summary) {
        io.thetalazy.experiments.report.RunFolder.writeJson(out.resolve("summary.json"), summary);
    }

    static ObjectNode newSummary(Network network) {
        ObjectNode summary = Card.JSON.createObjectNode();
        summary.put("architecture", network.spec().architecture());
        summary.put("width", network.width());
        summary.put("depth", network.spec().depth());
        return summary;
    }
}
