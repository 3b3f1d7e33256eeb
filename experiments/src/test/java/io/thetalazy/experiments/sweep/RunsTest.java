package io.thetalazy.experiments.sweep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thetalazy.core.error.ErrorCode;
import io.thetalazy.core.error.FrameworkException;
import io.thetalazy.core.plugin.Plugins;
import io.thetalazy.core.train.MetricsRow;
import io.thetalazy.core.train.TrainingListener;
import io.thetalazy.experiments.config.ConfigFiles;
import io.thetalazy.kernels.io.Npy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class RunsTest {
    @TempDir
    Path folder;

    private RunSetup setup() {
        return setup("");
    }

    private RunSetup setup(String training) {
        return RunSetup.of(ConfigFiles.parse("width: 8\ndepth: 1\ndata: lxmz\ntraining: {learningRate: 0.1, "
                + "maxSteps: 20, recordEvery: 5" + training + "}\n", "t"), Plugins.registry(), folder);
    }

    private static long files(Path out) throws Exception {
        try (Stream<Path> entries = Files.walk(out)) {
            return entries.filter(Files::isRegularFile).count();
        }
    }

    @Test
    void aRunFailingBeforeItsFirstStepLeavesNothing() throws Exception {
        Path out = folder.resolve("run");
        TrainingListener failing = new TrainingListener() {
            @Override
            public void onStart(double initialLearningRate) {
                throw new FrameworkException(ErrorCode.NON_FINITE_VALUE, "the step size cannot be computed");
            }
        };
        assertThatThrownBy(() -> Runs.train(setup(), out, failing)).hasMessage("the step size cannot be computed");
        assertThat(files(out)).isZero();
    }

    @Test
    void aRunFailingLaterKeepsWhatItWroteForResume() throws Exception {
        Path out = folder.resolve("run");
        TrainingListener failing = new TrainingListener() {
            @Override
            public void onRecord(MetricsRow row) {
                if (row.step() == 10) {
                    throw new FrameworkException(ErrorCode.INVALID_FILE, "disk full");
                }
            }
        };
        assertThatThrownBy(() -> Runs.train(setup(), out, failing)).hasMessage("disk full");
        assertThat(out.resolve("config.yaml")).exists();
        assertThat(out.resolve("metrics.csv.partial")).exists();
        assertThat(out.resolve("summary.json")).doesNotExist();
    }

    @Test
    void aRunWithoutSavedParamsWritesTheSameRunWithoutParamsAndItsSeedRedrawsTheInitialization() throws Exception {
        Path kept = folder.resolve("kept");
        Path bare = folder.resolve("bare");
        Runs.train(setup(), kept, TrainingListener.NONE);
        RunSetup withoutParams = setup(", saveParams: false");
        Runs.train(withoutParams, bare, TrainingListener.NONE);

        assertThat(bare.resolve("params")).doesNotExist();
        assertThat(kept.resolve("params/final/dense-1.npy")).exists();
        for (String file : List.of("metrics.csv", "card.json", "data/x.npy", "data/y.npy")) {
            assertThat(Files.readAllBytes(bare.resolve(file))).as(file)
                    .isEqualTo(Files.readAllBytes(kept.resolve(file)));
        }
        assertThat(bare.resolve("summary.json")).exists();
        for (String name : withoutParams.initialParams().names()) {
            assertThat(withoutParams.initialParams().get(name))
                    .isEqualTo(Npy.read(kept.resolve("params/init/" + name + ".npy")));
        }
    }
}
