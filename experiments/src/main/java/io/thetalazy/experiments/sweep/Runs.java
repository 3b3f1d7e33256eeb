package io.thetalazy.experiments.sweep;

import static io.thetalazy.core.error.ErrorCode.INVALID_FILE;
import static io.thetalazy.core.error.ErrorCode.OUTPUT_FOLDER;

import io.thetalazy.core.error.FrameworkException;
import io.thetalazy.core.layer.Params;
import io.thetalazy.core.train.MetricsRow;
import io.thetalazy.core.train.Observer;
import io.thetalazy.core.train.Trainer;
import io.thetalazy.core.train.TrainingListener;
import io.thetalazy.core.train.TrainingProgress;
import io.thetalazy.core.train.TrainingResult;
import io.thetalazy.experiments.config.ConfigFiles;
import io.thetalazy.experiments.config.TrainingSettings;
import io.thetalazy.experiments.report.Checkpoints;
import io.thetalazy.experiments.report.OutputFolder;
import io.thetalazy.experiments.report.RunFolder;
import io.thetalazy.kernels.predict.KernelObservers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Runs one configured training run into its results folder. */
public final class Runs {
    private Runs() {}

    /** Trains the setup's network from the seed's initialization, writing every file of the run folder. */
    public static TrainingResult train(RunSetup setup, Path out, TrainingListener progress) {
        return run(setup, out, progress, false);
    }

    /**
     * Continues the interrupted run in {@code out} from its checkpoint (same config): ends with the files the
     * uninterrupted run would have written, params/final and metrics.csv bit for bit.
     */
    public static TrainingResult resume(RunSetup setup, Path out, TrainingListener progress) {
        Path recorded = out.resolve("config.yaml");
        String expected = ConfigFiles.toYaml(setup.config());
        String found;
        try {
            found = Files.readString(recorded);
        } catch (IOException e) {
            throw new FrameworkException(INVALID_FILE, "cannot read %s, the run's config: %s".formatted(recorded,
                    OutputFolder.reason(e)), e);
        }
        if (!found.equals(expected)) {
            List<String> a = found.lines().toList();
            List<String> b = expected.lines().toList();
            int line = 0;
            while (line < Math.min(a.size(), b.size()) && a.get(line).equals(b.get(line))) {
                line++;
            }
            throw new FrameworkException(OUTPUT_FOLDER, ("--resume continues a run with its own config: %s line %d "
                    + "is '%s', the config given has '%s'; resume with --config %s").formatted(recorded, line + 1,
                    line < a.size() ? a.get(line).strip() : "", line < b.size() ? b.get(line).strip() : "", recorded));
        }
        if (!Checkpoints.exists(out)) {
            throw new FrameworkException(OUTPUT_FOLDER, Files.exists(out.resolve(RunFolder.SUMMARY))
                    ? "%s holds a finished run (summary.json): nothing to resume".formatted(out)
                    : ("%s has no checkpoint (the run stopped before its first; training.checkpointSteps and "
                            + "checkpointSeconds set how often they are written): rerun with --overwrite")
                            .formatted(out));
        }
        return run(setup, out, progress, true);
    }

    private static TrainingResult run(RunSetup setup, Path out, TrainingListener progress, boolean resume) {
        TrainingSettings settings = setup.config().training();
        List<Observer> observers = observers(setup);
        Trainer trainer = new Trainer(settings.toTrainingConfig(), observers);
        setup.requireMemory(true);
        Params initial = setup.initialParams();
        Checkpoints.Saved saved = resume ? Checkpoints.read(out, initial) : null;
        Params params = resume ? saved.params() : initial;
        try (RunFolder folder = new RunFolder(out, setup.network(), trainer.extraColumns(), setup.stepSize().mode(),
                setup.config().dtype(), settings.saveParams())) {
            TrainingProgress from = resume ? saved.progress() : null;
            Checkpoints checkpoints = new Checkpoints(out, params, folder, settings.checkpointSteps(),
                    settings.checkpointSeconds(), resume ? from.step() : 0, resume ? from.wallSeconds() : 0);
            TrainingListener listeners = new Both(folder, new Both(checkpoints, progress));
            TrainingResult result;
            if (resume) {
                folder.resume(saved.metricsBytes());
                resumeObservers(observers, folder.rows());
                result = trainer.resume(setup.network(), params, initial, setup.data().x(), setup.data().y(),
                        setup.stepSize(), listeners, from);
            } else {
                folder.writeInputs(setup.config(), setup.data(), params);
                try {
                    result = trainer.train(setup.network(), params, setup.data().x(), setup.data().y(),
                            setup.stepSize(), listeners);
                } catch (RuntimeException e) {
                    if (!folder.recorded()) {
                        folder.discard();   // failed before its first step (the initial step size, say): nothing
                    }
                    throw e;
                }
            }
            folder.finish(result, params);
            checkpoints.clear();
            return result;
        }
    }

    /** Hands each observer its own columns of the rows before the checkpoint. */
    private static void resumeObservers(List<Observer> observers, List<MetricsRow> rows) {
        List<Long> steps = rows.stream().map(MetricsRow::step).toList();
        int column = 0;
        for (Observer observer : observers) {
            int from = column;
            int width = observer.columns().size();
            observer.resume(steps, rows.stream().map(row -> row.extras().subList(from, from + width).stream()
                    .mapToDouble(Double::doubleValue).toArray()).toList());
            column += width;
        }
    }

    /** The trainer of a configured run: its stopping settings and the kernel observers it asks for. */
    public static Trainer trainer(RunSetup setup) {
        return new Trainer(setup.config().training().toTrainingConfig(), observers(setup));
    }

    /** The kernel observers the run's config asks for (training.kernelEvery). */
    private static List<Observer> observers(RunSetup setup) {
        int kernelEvery = setup.config().training().kernelEvery();
        return kernelEvery > 0 ? KernelObservers.driftAndLambdaMin(kernelEvery) : List.of();
    }

    /** Sends every callback to two listeners. */
    private record Both(TrainingListener first, TrainingListener second) implements TrainingListener {
        @Override
        public void onStart(double initialLearningRate) {
            first.onStart(initialLearningRate);
            second.onStart(initialLearningRate);
        }

        @Override
        public void onRecord(MetricsRow row) {
            first.onRecord(row);
            second.onRecord(row);
        }

        @Override
        public void onRestart(int restart, String reason) {
            first.onRestart(restart, reason);
            second.onRestart(restart, reason);
        }

        @Override
        public void onStep(long step, long maxSteps, double loss) {
            first.onStep(step, maxSteps, loss);
            second.onStep(step, maxSteps, loss);
        }

        @Override
        public void onProgress(TrainingProgress progress) {
            first.onProgress(progress);
            second.onProgress(progress);
        }
    }
}
