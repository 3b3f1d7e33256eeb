package io.thetalazy.experiments.sweep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thetalazy.core.error.ErrorCode;
import io.thetalazy.core.error.FrameworkException;
import io.thetalazy.core.plugin.Plugins;
import io.thetalazy.core.train.MetricsRow;
import io.thetalazy.core.train.TrainingListener;
import io.thetalazy.experiments.config.ConfigFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class RunsTest {
    @TempDir
    Path folder;

    private RunSetup setup() {
        return RunSetup.of(ConfigFiles.parse("width: 8\ndepth: 1\ndata: lxmz\ntraining: {learningRate: 0.1, "
                + "maxSteps: 20, recordEvery: 5}\n", "t"), Plugins.registry(), folder);
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
}
