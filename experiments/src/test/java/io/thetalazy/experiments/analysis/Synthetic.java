package io.thetalazy.experiments.analysis;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.thetalazy.core.layer.Network;
import io.thetalazy.core.layer.Params;
import io.thetalazy.core.plugin.Plugins;
import io.thetalazy.core.plugin.Registry;
import io.thetalazy.experiments.config.AnalysisSpec;
import io.thetalazy.experiments.config.Cell;
import io.thetalazy.experiments.config.CellIds;
import io.thetalazy.experiments.config.Experiment;
import io.thetalazy.experiments.config.Named;
import io.thetalazy.experiments.config.RunConfig;
import io.thetalazy.experiments.sweep.CellResult;
import io.thetalazy.experiments.sweep.RunSetup;
import io.thetalazy.kernels.io.Npy;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Synthetic cells for the analyses' tests: configurations, results and run folders written by hand. */
final class Synthetic {
    static final Registry REGISTRY = Plugins.registry();

    private Synthetic() {}

    /** A relu fcn on the lxmz data under the theta-lazy rule with kappa exponent q. */
    static RunConfig fcn(int width, int depth, double q, boolean antisymmetric, long seed) {
        return config("fcn", width, depth, "relu", antisymmetric, q, Named.of("lxmz"), seed);
    }

    static RunConfig config(String architecture, int width, int depth, String activation, boolean antisymmetric,
            double q, Named data, long seed) {
        Map<String, Object> rule = new LinkedHashMap<>();
        rule.put("gamma", q);
        RunConfig defaults = RunConfig.defaults();
        return new RunConfig(architecture, width, depth, Named.of(activation), false, "gaussian", antisymmetric,
                new Named("theta-lazy", rule), Map.of(), data, defaults.training(), seed, "float64");
    }

    static RunSetup setup(RunConfig config) {
        return RunSetup.of(config, REGISTRY, Path.of("."));
    }

    /** A cell whose axes are width and seed (and any extra axes, given as path-value pairs first). */
    static Cell cell(RunConfig config, String... extraAxes) {
        Map<String, String> axes = new LinkedHashMap<>();
        for (int i = 0; i + 1 < extraAxes.length; i += 2) {
            axes.put(extraAxes[i], extraAxes[i + 1]);
        }
        axes.put("width", String.valueOf(config.width()));
        axes.put("seed", String.valueOf(config.seed()));
        return new Cell(CellIds.of(config), axes, config);
    }

    static CellResult result(String status) {
        return new CellResult(status, 100, 1e-7, 0.1, List.of(0.1, 0.1), 1, 1, 0, 1, "");
    }

    static Experiment experiment(List<Cell> cells, List<String> axes, AnalysisSpec... analyses) {
        return new Experiment("synthetic", "", null, axes, Map.of(), List.of(analyses),
                java.util.Arrays.stream(analyses).map(AnalysisSpec::name).toList(), List.of(), cells,
                JsonNodeFactory.instance.objectNode());
    }

    static Analysis.Context context(Experiment experiment, Map<Cell, CellResult> results, Path folder) {
        return new Analysis.Context(experiment, results, folder, REGISTRY);
    }

    /** Writes a cell's run folder: data/x.npy, data/y.npy, params/init and params/final. */
    static void write(Path cellFolder, INDArray x, INDArray y, Params init, Params last) {
        Npy.write(cellFolder.resolve("data/x.npy"), x);
        Npy.write(cellFolder.resolve("data/y.npy"), y);
        for (String name : init.names()) {
            Npy.write(cellFolder.resolve("params/init/" + name + ".npy"), init.get(name));
        }
        if (last != null) {
            for (String name : last.names()) {
                Npy.write(cellFolder.resolve("params/final/" + name + ".npy"), last.get(name));
            }
        }
    }

    /** Writes the folder of a cell of this config with its seed's initialization and the given final parameters. */
    static Network write(Analysis.Context context, Cell cell, java.util.function.UnaryOperator<Params> train) {
        RunSetup setup = setup(cell.config());
        Params init = setup.network().init(cell.config().seed());
        write(context.cellFolder(cell), setup.data().x(), setup.data().y(), init, train.apply(init.copy()));
        return setup.network();
    }
}
