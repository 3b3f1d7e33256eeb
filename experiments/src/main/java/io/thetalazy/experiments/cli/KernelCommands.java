package io.thetalazy.experiments.cli;

import static io.thetalazy.core.error.ErrorCode.INVALID_FILE;
import static io.thetalazy.core.error.ErrorCode.SHAPE_MISMATCH;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.thetalazy.core.error.FrameworkException;
import io.thetalazy.core.layer.Network;
import io.thetalazy.core.layer.Params;
import io.thetalazy.core.plugin.Registry;
import io.thetalazy.experiments.report.Card;
import io.thetalazy.experiments.report.OutputFolder;
import io.thetalazy.experiments.report.OutputFolder.Kind;
import io.thetalazy.experiments.report.OutputFolder.Mode;
import io.thetalazy.experiments.sweep.RunSetup;
import io.thetalazy.kernels.io.Npy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
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
        return x1 == null ? setup.data().x() : Npy.read(x1);
    }

    INDArray second(INDArray first) {
        return x2 == null ? first : Npy.read(x2);
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

    /** Reads a run's parameters: a run folder, its params/ folder, or a params/init or params/final folder. */
    static Params readParams(Network network, Path folder) {
        Path dir = folder;
        if (Files.isDirectory(dir.resolve("params"))) {
            dir = dir.resolve("params");
        }
        if (Files.isDirectory(dir.resolve("final"))) {
            dir = dir.resolve("final");
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
