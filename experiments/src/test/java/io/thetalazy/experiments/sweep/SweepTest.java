package io.thetalazy.experiments.sweep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thetalazy.core.plugin.Plugins;
import io.thetalazy.core.plugin.Registry;
import io.thetalazy.core.train.TrainingListener;
import io.thetalazy.experiments.config.ConfigFiles;
import io.thetalazy.experiments.config.RunConfig;
import io.thetalazy.experiments.report.Checkpoints;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class SweepTest {
    private static final Registry REGISTRY = Plugins.registry();

    @TempDir
    Path folder;

    private static RunConfig config(int width) {
        return ConfigFiles.parse("""
                width: %d
                depth: 1
                activation: tanh
                data: lxmz
                training: {learningRate: 0.5, maxSteps: 10, recordEvery: 5, lossTolerance: 0}
                """.formatted(width), "test");
    }

    private List<Sweep.Outcome> run(List<Sweep.Cell> cells) {
        return new Sweep(REGISTRY, folder).run(cells, cell -> TrainingListener.NONE, outcome -> {});
    }

    @Test
    void finishedCellsAreReadBackOnlyWhenTheyRanTheSameConfig() throws Exception {
        List<Sweep.Cell> cells = List.of(new Sweep.Cell("m=8", config(8), folder.resolve("m-8")),
                new Sweep.Cell("m=16", config(16), folder.resolve("m-16")));
        assertThat(run(cells)).extracting(Sweep.Outcome::reused).containsExactly(false, false);
        List<Sweep.Outcome> again = run(cells);
        assertThat(again).extracting(Sweep.Outcome::reused).containsExactly(true, true);
        assertThat(again.get(1).finalLayerRd()).hasSize(2);
        Sweep.Cell changed = new Sweep.Cell("m=8", config(12), folder.resolve("m-8"));
        assertThatThrownBy(() -> run(List.of(changed)))
                .hasMessageContaining(folder.resolve("m-8") + " holds a finished run of another config than cell m=8");
    }

    @Test
    void aDamagedSummaryIsNamedAndAnInterruptedCellRedone() throws Exception {
        Sweep.Cell cell = new Sweep.Cell("m=8", config(8), folder.resolve("m-8"));
        run(List.of(cell));
        Path summary = folder.resolve("m-8/summary.json");
        Files.writeString(summary, "");
        assertThatThrownBy(() -> run(List.of(cell)))
                .hasMessage(summary + " is damaged: empty or not a JSON object; delete the cell's folder to redo it, "
                        + "or rerun with --overwrite");
        Files.writeString(summary, "{\"status\": \"converged\", \"steps\": 3, \"finalLoss\": 0, \"finalRd\": 0, "
                + "\"wallSeconds\": 1, \"finalLayerRd\": [0]}");
        assertThatThrownBy(() -> run(List.of(cell))).hasMessageContaining("'finalLayerRd' must list 2 numbers");
        Files.delete(summary);
        Files.writeString(folder.resolve("m-8/stray.npy"), "left by an interrupted run");
        assertThat(run(List.of(cell)).get(0).reused()).isFalse();
        assertThat(folder.resolve("m-8/stray.npy")).doesNotExist();
        assertThat(summary).exists();
    }

    @Test
    void anInterruptedCellContinuesFromItsCheckpoint() throws Exception {
        RunConfig config = ConfigFiles.parse("""
                width: 10
                depth: 1
                activation: tanh
                data: lxmz
                training: {learningRate: 0.3, maxSteps: 60, recordEvery: 3, lossTolerance: 0, checkpointSteps: 10,
                           kernelEvery: 4}
                """, "test");
        Sweep.Cell whole = new Sweep.Cell("whole", config, folder.resolve("whole"));
        Sweep.Cell cell = new Sweep.Cell("cut", config, folder.resolve("cut"));
        run(List.of(whole));
        TrainingListener interrupt = new TrainingListener() {
            @Override
            public void onStep(long step, long maxSteps, double loss) {
                if (step == 27) {
                    throw new IllegalStateException("interrupted");
                }
            }
        };
        assertThatThrownBy(() -> new Sweep(REGISTRY, folder).run(List.of(cell), c -> interrupt, o -> {}))
                .hasMessage("interrupted");
        assertThat(Checkpoints.step(cell.folder())).hasValue(20L);
        assertThat(run(List.of(cell)).get(0).reused()).isFalse();
        assertThat(Files.readString(cell.folder().resolve("metrics.csv")))
                .contains(",drift,lambdaMin").isEqualTo(Files.readString(whole.folder().resolve("metrics.csv")));
        assertThat(Files.readAllBytes(cell.folder().resolve("params/final/readout-2.npy")))
                .isEqualTo(Files.readAllBytes(whole.folder().resolve("params/final/readout-2.npy")));
    }
}
