package io.thetalazy.experiments.sweep;

import io.thetalazy.core.layer.Params;
import io.thetalazy.core.train.MetricsRow;
import io.thetalazy.core.train.Observer;
import io.thetalazy.core.train.Trainer;
import io.thetalazy.core.train.TrainingListener;
import io.thetalazy.core.train.TrainingResult;
import io.thetalazy.experiments.report.RunFolder;
import io.thetalazy.kernels.predict.KernelObservers;
import java.nio.file.Path;
import java.util.List;

/** Runs one configured training run into its results folder. */
public final class Runs {
    private Runs() {}

    /** Trains the setup's network from the seed's initialization, writing every file of the run folder. */
    public static TrainingResult train(RunSetup setup, Path out, TrainingListener progress) {
        Trainer trainer = trainer(setup);
        Params params = setup.network().init(setup.config().seed());
        if (params.get(params.names().get(0)).dataType() != setup.config().dataType()) {
            params = params.castTo(setup.config().dataType());   // float32 runs: drawn in float64, then cast
        }
        try (RunFolder folder = new RunFolder(out, setup.network(), trainer.extraColumns(), setup.stepSize().mode(),
                setup.config().dtype())) {
            folder.writeInputs(setup.config(), setup.data(), params);
            TrainingResult result = trainer.train(setup.network(), params, setup.data().x(), setup.data().y(),
                    setup.stepSize(), new Both(folder, progress));
            folder.finish(result, params);
            return result;
        }
    }

    /** The trainer of a configured run: its stopping settings and the kernel observers it asks for. */
    public static Trainer trainer(RunSetup setup) {
        int kernelEvery = setup.config().training().kernelEvery();
        List<Observer> observers = kernelEvery > 0 ? KernelObservers.driftAndLambdaMin(kernelEvery) : List.of();
        return new Trainer(setup.config().training().toTrainingConfig(), observers);
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
    }
}
