package io.thetalazy.experiments.cli;

import static io.thetalazy.core.error.ErrorCode.INVALID_CONFIG;

import io.thetalazy.core.error.FrameworkException;
import io.thetalazy.core.plugin.Registry;
import io.thetalazy.experiments.config.Experiment;
import io.thetalazy.experiments.config.ExperimentFiles;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.Yaml;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Runs an experiment file into a results folder: one row per cell in cells.csv, a run folder per cell, a report. */
@Command(name = "run", mixinStandardHelpOptions = true, description = "Run an experiment file (base config, axes, "
        + "claims): every cell into its folder under --out, cells.csv, provenance.json and report.md/report.html. "
        + "Rerun to resume: finished cells are read back.")
final class RunCommand implements Runnable {
    private final Registry registry;

    @Parameters(index = "0", paramLabel = "FILE", description = "experiment file (YAML)")
    Path file;

    @Option(names = "--out", description = "results folder (default: <experiment name>-results)")
    Path out;

    @Option(names = "--size", description = "one of the file's sizes: ci (seconds), small (minutes), paper (the "
            + "published settings); default small when the file has sizes")
    String size;

    @Option(names = "--dry-run", description = "print the cell table and its size; train nothing, write nothing")
    boolean dryRun;

    @Option(names = "--axis", paramLabel = "PATH=V1,V2", description = "replace an axis's values, e.g. --axis "
            + "width=64,128")
    List<String> axes = new ArrayList<>();

    @Option(names = "--set", paramLabel = "PATH=VALUE", description = "set a base setting, e.g. --set "
            + "training.maxSteps=500")
    List<String> settings = new ArrayList<>();

    @Mixin
    ExperimentOptions experimentOptions = new ExperimentOptions();

    @Inject
    RunCommand(Registry registry) {
        this.registry = registry;
    }

    @Override
    public void run() {
        Experiment experiment = ExperimentFiles.read(file, overrides(axes, settings, size));
        Path folder = out != null ? out : Path.of(experiment.name() + "-results");
        Path dataFolder = file.toAbsolutePath().getParent();
        if (dryRun) {
            ExperimentOptions.check(experiment, registry, dataFolder);
            ExperimentOptions.printCells(System.out, experiment, ExperimentOptions.existing(experiment, folder),
                    List.of());
            System.out.printf("dry run: %d cells over %s%s; results would go to %s; nothing was trained%n",
                    experiment.cells().size(), experiment.axes(), experiment.size() == null ? ""
                            : " at size " + experiment.size(), folder.toAbsolutePath());
            return;
        }
        List<String> commandLine = new ArrayList<>(List.of("thetalazy", "run", file.toString(), "--out",
                folder.toString()));
        if (experiment.size() != null) {
            commandLine.addAll(List.of("--size", experiment.size()));
        }
        ExperimentOptions.Finished finished = experimentOptions.run(experiment, folder, dataFolder, registry,
                commandLine, "thetalazy run " + file);
        ExperimentOptions.printSummary(System.out, finished);
    }

    /** {@code --axis PATH=V1,V2} and {@code --set PATH=VALUE}, each value read as YAML ({@code 0.5}, {@code true}). */
    static ExperimentFiles.Overrides overrides(List<String> axes, List<String> settings, String size) {
        Map<String, List<Object>> axisValues = new LinkedHashMap<>();
        for (String axis : axes) {
            String[] parts = split("--axis", axis, "PATH=V1,V2");
            List<Object> values = new ArrayList<>();
            for (String value : parts[1].split(",", -1)) {
                values.add(value(value.strip()));
            }
            axisValues.put(parts[0], values);
        }
        Map<String, Object> base = new LinkedHashMap<>();
        for (String setting : settings) {
            String[] parts = split("--set", setting, "PATH=VALUE");
            base.put(parts[0], value(parts[1].strip()));
        }
        return new ExperimentFiles.Overrides(axisValues, base, size);
    }

    private static String[] split(String option, String text, String form) {
        int equals = text.indexOf('=');
        if (equals <= 0 || equals == text.length() - 1) {
            throw new FrameworkException(INVALID_CONFIG, "%s '%s': write %s".formatted(option, text, form));
        }
        return new String[] {text.substring(0, equals).strip(), text.substring(equals + 1)};
    }

    private static Object value(String text) {
        return new Yaml().load(text);
    }
}
