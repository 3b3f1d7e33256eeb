package io.thetalazy.experiments.cli;

import io.thetalazy.core.plugin.Registry;
import io.thetalazy.experiments.config.ConfigFiles;
import io.thetalazy.experiments.config.LearningRate;
import io.thetalazy.experiments.config.RunConfig;
import io.thetalazy.experiments.report.Card;
import io.thetalazy.experiments.sweep.RunSetup;
import jakarta.inject.Inject;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Prints the parametrization card of a config: the normalized view, kappa, mobilities, regime. */
@Command(name = "card", description = "Print the parametrization card (normalized view, kappa, mobilities, regime) of a config.")
final class CardCommand implements Runnable {
    private final Registry registry;

    @Option(names = "--config", required = true, description = "run config (YAML)")
    Path config;

    @Option(names = "--json", description = "print card.json instead of the table")
    boolean json;

    @Option(names = "--data-dir", description = "folder of a data set read from files (fashion-mnist; default "
            + "/usr/share/datasets/fashion-mnist from Debian's dataset-fashion-mnist)")
    Path dataDirectory;

    @Option(names = "--width", description = "override the config's width")
    Integer width;

    @Inject
    CardCommand(Registry registry) {
        this.registry = registry;
    }

    @Override
    public void run() {
        RunConfig run = Commands.withDataDirectory(ConfigFiles.read(config), dataDirectory);
        if (width != null) {
            run = run.withWidth(width);
        }
        RunSetup setup = RunSetup.of(run, registry, Commands.base(config));
        LearningRate rate = run.training().learningRate();
        double value = rate.mode() == LearningRate.Mode.FIXED ? rate.value() : Double.NaN;
        if (json) {
            System.out.println(Card.json(setup.network(), rate.label(), value).toPrettyString());
        } else {
            System.out.print(Card.text(setup.network(), rate.label(), value));
        }
    }
}
