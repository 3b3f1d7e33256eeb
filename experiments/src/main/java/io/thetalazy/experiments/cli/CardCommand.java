package io.thetalazy.experiments.cli;

import io.thetalazy.core.plugin.Registry;
import io.thetalazy.experiments.config.LearningRate;
import io.thetalazy.experiments.config.RunConfig;
import io.thetalazy.experiments.report.Card;
import io.thetalazy.experiments.sweep.RunSetup;
import jakarta.inject.Inject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Prints the parametrization card of a config: the normalized view, kappa, mobilities, regime. */
@Command(mixinStandardHelpOptions = true, name = "card", description = "Print the parametrization card (normalized view, kappa, mobilities, regime) of a config.")
final class CardCommand implements Runnable {
    private final Registry registry;

    @Mixin
    ConfigOptions options = new ConfigOptions();

    @Option(names = "--json", description = "print card.json instead of the table")
    boolean json;

    @Inject
    CardCommand(Registry registry) {
        this.registry = registry;
    }

    @Override
    public void run() {
        RunSetup setup = options.setup(registry);
        RunConfig run = setup.config();
        LearningRate rate = run.training().learningRate();
        double value = rate.mode() == LearningRate.Mode.FIXED ? rate.value() : Double.NaN;
        if (json) {
            System.out.println(Card.json(setup.network(), rate.label(), value).toPrettyString());
        } else {
            System.out.print(Card.text(setup.network(), rate.label(), value));
        }
    }
}
