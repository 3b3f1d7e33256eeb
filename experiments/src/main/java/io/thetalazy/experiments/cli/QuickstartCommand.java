package io.thetalazy.experiments.cli;

import io.thetalazy.core.plugin.Registry;
import io.thetalazy.experiments.config.LearningRate;
import io.thetalazy.experiments.config.Named;
import io.thetalazy.experiments.config.RunConfig;
import io.thetalazy.experiments.config.TrainingSettings;
import io.thetalazy.experiments.report.WidthSweepReport;
import io.thetalazy.experiments.sweep.Sweep;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jakarta.inject.Inject;
import io.thetalazy.experiments.report.OutputFolder;
import io.thetalazy.experiments.report.OutputFolder.Kind;
import io.thetalazy.experiments.report.OutputFolder.Mode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The main job at a small size: a deep ReLU FCN trained by GD at several kappa exponents q (rule theta-lazy, kappa =
 * m^q) and widths; for each q, RD at the end of training against m, its log-log slope with standard error, and the
 * regime it indicates. Resumable: cells already in the output folder (with the same config) are read back.
 */
@Command(mixinStandardHelpOptions = true, name = "quickstart", description = "Train a deep FCN at several kappa exponents and widths; print RD against "
        + "width, its log-log slope and the regime it indicates (about 1-3 minutes on 2 cores).")
final class QuickstartCommand implements Runnable {
    private final Registry registry;

    @Option(names = "--out", defaultValue = "quickstart-results", description = "results folder (default: ${DEFAULT-VALUE})")
    Path out;

    @Option(names = "--exponents", split = ",", defaultValue = "0.5,0.25,0",
            description = "kappa exponents q (default: ${DEFAULT-VALUE})")
    List<Double> exponents;

    @Option(names = "--widths", split = ",", defaultValue = "64,128,256,512",
            description = "widths m (default: ${DEFAULT-VALUE})")
    List<Integer> widths;

    @Option(names = "--depth", defaultValue = "3", description = "number of hidden layers L (default: ${DEFAULT-VALUE})")
    int depth;

    @Option(names = "--seed", defaultValue = "0", description = "root seed (default: ${DEFAULT-VALUE})")
    long seed;

    @Mixin
    OutputOptions output = new OutputOptions();

    @Inject
    QuickstartCommand(Registry registry) {
        this.registry = registry;
    }

    /** The base configuration of every cell. */
    static RunConfig base(int depth, long seed) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("n", 16);
        data.put("dimension", 4);
        data.put("teacher", "neuron");
        TrainingSettings training = new TrainingSettings(LearningRate.ADAPTIVE, 0.5, 10, 20_000, 1e-6, 60, 50, 1e6, 2,
                0, 0, 300);
        return new RunConfig("fcn", 128, depth, Named.of("relu"), false, "gaussian", true, Named.of("ntk"), Map.of(),
                new Named("sphere", data), training, seed, "float64");
    }

    @Override
    public void run() {
        OptionValues.eachAtLeast("--widths", widths, 1, "positive widths");
        OptionValues.eachFinite("--exponents", exponents);
        OptionValues.atLeast("--depth", depth, 1, "at least 1 (hidden layers)");
        RunConfig base = base(depth, seed);
        System.out.printf("quickstart: fcn depth %d, relu, antisymmetric init, rule theta-lazy (kappa = m^q), %s; "
                + "GD with the adaptive step (c = 0.5) until loss < 1e-6%nq in %s, m in %s; results in %s%n%n",
                depth, "16 points on S^3 with a ReLU teacher", exponents, widths, out.toAbsolutePath());
        try (OutputFolder claimed = output.claim(out, Kind.QUICKSTART, Mode.CONTINUE, "thetalazy quickstart")) {
            sweep(base);
        }
    }

    private void sweep(RunConfig base) {
        Sweep sweep = new Sweep(registry, out);
        List<WidthSweepReport.Group> groups = new ArrayList<>();
        for (double q : exponents) {
            String label = "q=" + q;
            List<Sweep.Cell> cells = new ArrayList<>();
            for (int width : widths) {
                Map<String, Object> rule = new LinkedHashMap<>();
                rule.put("gamma", q);
                RunConfig config = base.withWidth(width).withRule(new Named("theta-lazy", rule));
                cells.add(new Sweep.Cell(label + " m=" + width, config, out.resolve("q-" + q).resolve("m-" + width)));
            }
            List<Sweep.Outcome> outcomes = sweep.run(cells, cell -> new Progress(System.err, cell.label()), outcome -> {
                System.err.printf("  %-16s %s in %d steps (%.1f s)%s%n", outcome.cell().label(), outcome.status(),
                        outcome.steps(), outcome.wallSeconds(), outcome.reused() ? ", read back" : "");
            });
            WidthSweepReport.Group group = new WidthSweepReport.Group(label, q, outcomes);
            groups.add(group);
            System.out.println(WidthSweepReport.text(group));
        }
        WidthSweepReport.write(out, groups);
        System.out.printf("Expected: RD_1 ~ m^-q in the theta-lazy area (q > 0); at q = 0 (kappa = O(1)) the input layer keeps moving.%n"
                + "Report: %s%n", out.resolve("report.md").toAbsolutePath());
    }
}
