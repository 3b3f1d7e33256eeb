package io.thetalazy.experiments.cli;

import static io.thetalazy.core.error.ErrorCode.INVALID_CONFIG;
import static io.thetalazy.core.error.ErrorCode.OUTPUT_FOLDER;

import io.thetalazy.core.error.FrameworkException;
import io.thetalazy.core.plugin.Registry;
import io.thetalazy.core.train.TrainingResult;
import io.thetalazy.experiments.config.ConfigFiles;
import io.thetalazy.experiments.config.RunConfig;
import io.thetalazy.experiments.report.Card;
import io.thetalazy.experiments.report.Checkpoints;
import io.thetalazy.experiments.report.OutputFolder;
import io.thetalazy.experiments.report.OutputFolder.Kind;
import io.thetalazy.experiments.report.OutputFolder.Mode;
import io.thetalazy.experiments.sweep.RunSetup;
import io.thetalazy.experiments.sweep.Runs;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Trains one configured network by full-batch gradient descent and writes its results folder. */
@Command(mixinStandardHelpOptions = true, name = "train", description = "Train one network by full-batch gradient descent; write config.yaml, card.json, "
        + "metrics.csv, summary.json, data/, params/ and plots to the output folder.")
final class TrainCommand implements Callable<Integer> {
    private final Registry registry;

    @Mixin
    ConfigOptions options = new ConfigOptions();

    @Option(names = "--out", required = true, description = "results folder (created; refused if it holds another "
            + "run or other files, unless --overwrite)")
    Path out;

    @Mixin
    OutputOptions output = new OutputOptions();

    @Option(names = "--resume", description = "continue the interrupted run in --out from its last checkpoint (the "
            + "same config); ends as the uninterrupted run would")
    boolean resume;

    @Option(names = "--quiet", description = "print only the summary line")
    boolean quiet;

    @Inject
    TrainCommand(Registry registry) {
        this.registry = registry;
    }

    @Override
    public Integer call() {
        if (resume && output.overwrite) {
            throw new FrameworkException(INVALID_CONFIG, "--resume continues the run in --out, --overwrite deletes it: "
                    + "give one of them");
        }
        RunSetup setup = options.setup(registry);
        setup.requireMemory(true);   // before the folder is created: a refused size leaves nothing behind
        RunConfig run = setup.config();
        if (!resume && !output.overwrite && Checkpoints.exists(out)) {
            throw new FrameworkException(OUTPUT_FOLDER, "%s holds an interrupted run with a checkpoint%s: add --resume "
                    .formatted(out, Checkpoints.step(out).map(step -> " at step " + step).orElse(""))
                    + "to continue it, or --overwrite to start again");
        }
        if (!quiet) {
            System.out.println("# effective config");
            System.out.print(ConfigFiles.toYaml(run));
            System.out.println("# data: " + setup.data().description());
            System.out.println();
            System.out.print(Card.text(setup.network(), setup.stepSize().mode(), Double.NaN));
            System.out.println();
        }
        Progress progress = new Progress(System.err, "train");
        TrainingResult result;
        try (OutputFolder folder = output.claim(out, Kind.TRAIN, resume ? Mode.CONTINUE : Mode.NEW,
                "thetalazy train")) {
            result = resume ? Runs.resume(setup, out, progress) : Runs.train(setup, out, progress);
        }
        progress.done();
        System.out.printf("%s after %d steps: loss %.4e, RD %.4e (per layer %s), %.1f s; results in %s%n",
                result.status().label(), result.steps(), result.finalLoss(), result.finalRd(),
                result.finalLayerRd().stream().map(v -> "%.3e".formatted(v)).toList(), result.wallSeconds(), out);
        if (!result.message().isEmpty()) {
            System.err.println(result.message());
        }
        return result.status().failed() ? Main.BAD_INPUT : 0;
    }
}
