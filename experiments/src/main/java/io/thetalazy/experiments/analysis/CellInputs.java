package io.thetalazy.experiments.analysis;

import static io.thetalazy.core.error.ErrorCode.INVALID_FILE;
import static io.thetalazy.core.error.ErrorCode.SHAPE_MISMATCH;

import io.thetalazy.core.error.FrameworkException;
import io.thetalazy.core.layer.Network;
import io.thetalazy.core.layer.Params;
import io.thetalazy.core.layer.TrainableLayer;
import io.thetalazy.experiments.config.Cell;
import io.thetalazy.experiments.config.RunConfig;
import io.thetalazy.experiments.report.OutputFolder;
import io.thetalazy.experiments.report.RunFolder;
import io.thetalazy.experiments.sweep.CellResult;
import io.thetalazy.experiments.sweep.RunSetup;
import io.thetalazy.kernels.io.Npy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalDouble;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What the analyses that rebuild a cell's network read from its run folder: the network built from the cell's
 * configuration on the inputs as trained on ({@code data/x.npy}, {@code data/y.npy}), the parameters of {@code
 * params/init} and {@code params/final}, and the gradient-flow time of the last row of {@code metrics.csv}. Each
 * failure is a {@link FrameworkException} naming the file, which an analysis records as a note on the cell.
 */
final class CellInputs {
    static final String INIT = "params/init";
    static final String FINAL = "params/final";

    private CellInputs() {}

    /**
     * A cell's network and training data.
     *
     * @param folder the cell's run folder
     */
    record Loaded(Cell cell, Path folder, RunSetup setup) {
        Network network() {
            return setup.network();
        }

        RunConfig config() {
            return setup.config();
        }

        INDArray x() {
            return setup.data().x();
        }

        INDArray y() {
            return setup.data().y();
        }

        /** params/init, or the seed's initialization drawn again when the run kept no parameters. */
        Params init() {
            if (!config().training().saveParams()) {
                return setup.initialParams();
            }
            return params(network(), folder.resolve(INIT));
        }

        Params last() {
            if (!config().training().saveParams()) {
                throw new FrameworkException(INVALID_FILE, ("%s kept no final parameters (training.saveParams: false): "
                        + "rerun the cell with saveParams: true for an analysis of the trained network")
                        .formatted(folder));
            }
            return params(network(), folder.resolve(FINAL));
        }
    }

    /**
     * Why a cell has nothing to analyse ({@code pending}, {@code failed}), or null when it finished (whatever its
     * status).
     */
    static String unusable(CellResult result) {
        if (!result.done()) {
            return CellResult.PENDING;
        }
        return result.failed() ? CellResult.FAILED : null;
    }

    /**
     * The cell's network and the data it trained on, from its folder alone ({@link RunSetup#ofRunFolder}: the inputs
     * exactly as trained on, whatever the data source).
     */
    static Loaded load(Analysis.Context context, Cell cell) {
        Path folder = context.cellFolder(cell);
        for (String file : List.of("data/x.npy", "data/y.npy")) {
            if (!Files.exists(folder.resolve(file))) {
                throw new FrameworkException(INVALID_FILE, "%s has no %s".formatted(folder, file));
            }
        }
        return new Loaded(cell, folder, RunSetup.ofRunFolder(cell.config(), folder, context.registry()));
    }

    /** The names of every parameter array of a network: weights, biases, and the antisymmetric copy's. */
    static List<String> parameterNames(Network network) {
        List<String> names = new ArrayList<>();
        for (TrainableLayer layer : network.trainables()) {
            names.add(layer.name());
            if (layer.bias().isPresent()) {
                names.add(layer.biasName());
            }
        }
        if (network.antisymmetric()) {
            List<String> copies = names.stream().map(name -> name + Network.MIRROR).toList();
            names.addAll(copies);
        }
        return names;
    }

    /** The parameters in {@code dir} ({@code <name>.npy} each), checked against the network's shapes. */
    static Params params(Network network, Path dir) {
        Params params = new Params();
        for (String name : parameterNames(network)) {
            Path file = dir.resolve(name + ".npy");
            if (!Files.exists(file)) {
                throw new FrameworkException(INVALID_FILE, "%s has no %s.npy".formatted(dir, name));
            }
            INDArray array = Npy.read(file);
            long[] expected = expectedShape(network, name);
            if (!Arrays.equals(array.shape(), expected)) {
                throw new FrameworkException(SHAPE_MISMATCH, "%s has shape %s, the cell's network needs %s"
                        .formatted(file, Arrays.toString(array.shape()), Arrays.toString(expected)));
            }
            params.put(name, array);
        }
        return params;
    }

    private static long[] expectedShape(Network network, String name) {
        String base = name.endsWith(Network.MIRROR) ? name.substring(0, name.length() - Network.MIRROR.length()) : name;
        for (TrainableLayer layer : network.trainables()) {
            if (layer.name().equals(base)) {
                return layer.weightShape().toLongArray();
            }
            if (layer.bias().isPresent() && layer.biasName().equals(base)) {
                return new long[] {layer.weightShape().dimension(0)};
            }
        }
        throw new IllegalArgumentException("no parameter " + name);
    }

    /** The {@code time} column (sum of the steps taken) of the last row of the cell's metrics.csv, if any. */
    static OptionalDouble finalTime(Path folder) {
        Path metrics = folder.resolve(RunFolder.METRICS);
        if (!Files.exists(metrics)) {
            return OptionalDouble.empty();
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(metrics);
        } catch (IOException e) {
            throw new FrameworkException(INVALID_FILE, "cannot read %s: %s".formatted(metrics, OutputFolder.reason(e)),
                    e);
        }
        if (lines.size() < 2) {
            return OptionalDouble.empty();
        }
        int column = Arrays.asList(lines.get(0).split(",")).indexOf("time");
        String[] last = lines.get(lines.size() - 1).split(",");
        if (column < 0 || column >= last.length) {
            return OptionalDouble.empty();
        }
        try {
            double time = Double.parseDouble(last[column]);
            return Double.isFinite(time) && time >= 0 ? OptionalDouble.of(time) : OptionalDouble.empty();
        } catch (NumberFormatException e) {
            return OptionalDouble.empty();
        }
    }

    /** A short reason for a note: the exception's message, or its class when it has none. */
    static String reason(RuntimeException e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message.strip();
    }
}
