package io.thetalazy.experiments.cli;

import static io.thetalazy.core.error.ErrorCode.INVALID_FILE;

import io.thetalazy.core.error.FrameworkException;
import io.thetalazy.core.plugin.Registry;
import io.thetalazy.experiments.analysis.WidthScaling;
import io.thetalazy.experiments.config.Experiment;
import io.thetalazy.experiments.config.ExperimentFiles;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The main job at a small size: the shipped experiment {@code configs/quickstart.yaml} (a deep ReLU FCN trained by GD
 * at several kappa exponents q and widths) run by the experiment runner, then for each q the cells, the log-log slope
 * of RD against m with its standard error, and the regime it indicates. Resumable like every experiment.
 */
@Command(mixinStandardHelpOptions = true, name = "quickstart", description = "Train a deep FCN at several kappa "
        + "exponents and widths (the shipped experiment quickstart.yaml); print RD against width, its log-log slope "
        + "and the regime it indicates (a few minutes on 2 cores).")
final class QuickstartCommand implements Runnable {
    /** The shipped experiment file, a class-path resource (experiments/configs/ in the source tree). */
    static final String RESOURCE = "/configs/quickstart.yaml";

    private final Registry registry;

    @Option(names = "--out", defaultValue = "quickstart-results", description = "results folder (default: ${DEFAULT-VALUE})")
    Path out;

    @Option(names = "--exponents", split = ",", description = "kappa exponents q (default: the file's, 0.5,0.25,0)")
    List<Double> exponents;

    @Option(names = "--widths", split = ",", description = "widths m (default: the file's, 64,128,256,512)")
    List<Integer> widths;

    @Option(names = "--depth", description = "number of hidden layers L (default: the file's, 3)")
    Integer depth;

    @Option(names = "--seed", description = "root seed (default: the file's, 0)")
    Long seed;

    @Mixin
    ExperimentOptions experimentOptions = new ExperimentOptions();

    @Inject
    QuickstartCommand(Registry registry) {
        this.registry = registry;
    }

    /** The shipped quickstart experiment with the command line's changes. */
    static Experiment experiment(List<Double> exponents, List<Integer> widths, Integer depth, Long seed) {
        Map<String, List<Object>> axes = new LinkedHashMap<>();
        if (exponents != null) {
            OptionValues.eachFinite("--exponents", exponents);
            axes.put("rule.gamma", new ArrayList<>(exponents));
        }
        if (widths != null) {
            OptionValues.eachAtLeast("--widths", widths, 1, "positive widths");
            axes.put("width", new ArrayList<>(widths));
        }
        Map<String, Object> base = new LinkedHashMap<>();
        if (depth != null) {
            OptionValues.atLeast("--depth", depth, 1, "at least 1 (hidden layers)");
            base.put("depth", depth);
        }
        if (seed != null) {
            base.put("seed", seed);
        }
        return ExperimentFiles.parse(resource(), "quickstart.yaml", Path.of("."),
                new ExperimentFiles.Overrides(axes, base));
    }

    private static String resource() {
        try (InputStream in = QuickstartCommand.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new FrameworkException(INVALID_FILE, "the shipped experiment " + RESOURCE + " is missing from "
                        + "the class path; rebuild with mvn -B package");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new FrameworkException(INVALID_FILE, "cannot read the shipped experiment " + RESOURCE + ": " + e, e);
        }
    }

    @Override
    public void run() {
        Experiment experiment = experiment(exponents, widths, depth, seed);
        var config = experiment.cells().get(0).config();
        System.out.printf("quickstart: fcn depth %d, relu, antisymmetric init, rule theta-lazy (kappa = m^q), %s; "
                + "GD with the adaptive step (c = %s) until loss < %s%n%s cells over q and m; results in %s%n%n",
                config.depth(), "16 points on S^3 with a ReLU teacher", config.training().stepFraction(),
                config.training().lossTolerance(), experiment.cells().size(), out.toAbsolutePath());
        List<String> commandLine = List.of("thetalazy", "quickstart", "--out", out.toString());
        ExperimentOptions.Finished finished = experimentOptions.run(experiment, out, Path.of(".").toAbsolutePath(),
                registry, commandLine, "thetalazy quickstart");
        System.out.println();
        for (WidthScaling.Group group : finished.summary().groups()) {
            System.out.println(WidthScaling.text(group));
        }
        System.out.println("Expected: RD_1 ~ m^-q in the theta-lazy area (q > 0); at q = 0 (kappa = O(1)) the input "
                + "layer keeps moving.");
        ExperimentOptions.printSummary(System.out, finished);
    }
}
