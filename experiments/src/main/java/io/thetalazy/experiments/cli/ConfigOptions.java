package io.thetalazy.experiments.cli;

import io.thetalazy.core.plugin.Registry;
import io.thetalazy.experiments.config.ConfigFiles;
import io.thetalazy.experiments.config.Named;
import io.thetalazy.experiments.config.RunConfig;
import io.thetalazy.experiments.sweep.RunSetup;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** The options every command that reads a run config shares (a picocli mixin): the config and its overrides. */
final class ConfigOptions {
    @Option(names = "--config", required = true, description = "run config (YAML)")
    Path config;

    @Option(names = "--data-dir", description = "folder of a data set read from files (fashion-mnist; default "
            + "/usr/share/datasets/fashion-mnist from Debian's dataset-fashion-mnist)")
    Path dataDirectory;

    @Option(names = "--width", description = "override the config's width")
    Integer width;

    @Option(names = "--seed", description = "override the config's seed")
    Long seed;

    /** The config file with the command line's overrides applied. */
    RunConfig read() {
        String text = ConfigFiles.text(config);
        if (ConfigFiles.isEmpty(text, config.toString())) {
            System.err.println("note: " + config + " holds no settings; every key takes its default (thetalazy card "
                    + "--config " + config + " prints them)");
        }
        RunConfig run = ConfigFiles.parse(text, config.toString());
        if (dataDirectory != null) {
            Map<String, Object> parameters = new LinkedHashMap<>(run.data().parameters());
            parameters.put("dir", dataDirectory.toAbsolutePath().toString());
            run = run.withData(new Named(run.data().name(), parameters));
        }
        if (width != null) {
            OptionValues.atLeast("--width", width, 1, "a positive width");
            run = run.withWidth(width);
        }
        if (seed != null) {
            run = run.withSeed(seed);
        }
        return run;
    }

    /** Data, network and step size of the config; relative data paths start at the config file's folder. */
    RunSetup setup(Registry registry) {
        return RunSetup.of(read(), registry, base());
    }

    Path base() {
        Path parent = config.toAbsolutePath().getParent();
        return parent == null ? Path.of(".") : parent;
    }
}
