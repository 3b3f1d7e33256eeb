package io.thetalazy.experiments.sweep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thetalazy.core.plugin.Plugins;
import io.thetalazy.core.plugin.Registry;
import io.thetalazy.experiments.config.Cell;
import io.thetalazy.experiments.config.Experiment;
import io.thetalazy.experiments.config.ExperimentFiles;
import io.thetalazy.experiments.config.ExperimentFiles.Overrides;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class ExperimentRunnerTest {
    private static final Registry REGISTRY = Plugins.registry();
    static final String TINY = """
            base:
              depth: 1
              activation: tanh
              data: lxmz
              training: {learningRate: 0.5, maxSteps: 20, recordEvery: 5, lossTolerance: 0}
            axes:
              width: [8, 16]
              seed: [0, 1]
            """;

    @TempDir
    Path folder;

    private Experiment experiment(String text) {
        return ExperimentFiles.parse(text, "tiny.yaml", folder, Overrides.NONE);
    }

    private ExperimentRunner.Outcome run(Experiment experiment, Path out, int jobs, boolean retryFailed) {
        return ExperimentRunner.run(new ResultStore(out, experiment), new LocalExecutor(REGISTRY, jobs), folder,
                retryFailed, List.of("test"), ExperimentRunner.Listener.NONE);
    }

    @Test
    void cellsAreRecordedInTheirFoldersAndCellsCsvIsBuiltFromThem() throws Exception {
        Experiment experiment = experiment(TINY);
        Path out = folder.resolve("out");
        ExperimentRunner.Outcome outcome = run(experiment, out, 1, false);
        assertThat(outcome.ran()).hasSize(4);
        assertThat(outcome.results().values()).extracting(CellResult::status).containsOnly("step-budget");
        assertThat(out.resolve("experiment.yaml")).exists();
        assertThat(ExperimentFiles.readResolved(out.resolve("experiment.yaml")).cells()).isEqualTo(experiment.cells());
        List<String> rows = Files.readAllLines(out.resolve("cells.csv"));
        assertThat(rows.get(0)).isEqualTo("id,folder,width,seed,status,steps,finalLoss,rd,rd-1,rd-2,rdMax,"
                + "initialLearningRate,finalLearningRate,restarts,wallSeconds,message");
        Cell first = experiment.cells().get(0);
        assertThat(rows.get(1)).startsWith(first.id() + ",cells/width-8_seed-0_" + first.id() + ",8,0,step-budget,20,");
        assertThat(out.resolve("cells/width-8_seed-0_" + first.id() + "/params/final/dense-1.npy")).exists();
        String provenance = Files.readString(out.resolve("provenance.json"));
        assertThat(provenance).contains("\"executor\" : \"local\"", "\"jobs\" : 1", "\"vendor\"", "\"coreType\"",
                "\"start\"", "\"end\"", "\"commandLine\" : [ \"test\" ]", first.id());
        // the store alone, read again, gives the same table
        ResultStore store = ResultStore.open(out);
        assertThat(store.cellsCsv(store.readAll())).isEqualTo(Files.readString(out.resolve("cells.csv")));
    }

    @Test
    void finishedCellsAreReadBackAndAnInterruptedCellIsRedone() throws Exception {
        Experiment experiment = experiment(TINY);
        Path out = folder.resolve("out");
        run(experiment, out, 1, false);
        String csv = CellsCsv.withoutTimes(Files.readString(out.resolve("cells.csv")));
        assertThat(run(experiment, out, 1, false).ran()).isEmpty();
        // a cell killed in flight: partial metrics, no summary
        Cell second = experiment.cells().get(1);
        Path cellFolder = new ResultStore(out, experiment).cellFolder(second);
        Files.delete(cellFolder.resolve("summary.json"));
        Files.move(cellFolder.resolve("metrics.csv"), cellFolder.resolve("metrics.csv.partial"));
        assertThat(run(experiment, out, 1, false).ran()).containsExactly(second);
        assertThat(CellsCsv.withoutTimes(Files.readString(out.resolve("cells.csv")))).isEqualTo(csv);
        assertThat(cellFolder.resolve("metrics.csv.partial")).doesNotExist();
        // extended: new cells run, the old ones are read back
        Experiment extended = experiment(TINY.replace("[8, 16]", "[8, 16, 24]"));
        assertThat(run(extended, out, 1, false).ran()).hasSize(2);
    }

    @Test
    void theWidestCellsStartFirstAndCellsCsvKeepsTheExperimentsOrder() throws Exception {
        Experiment experiment = experiment(TINY);
        Path out = folder.resolve("out");
        List<Cell> started = new java.util.ArrayList<>();
        ExperimentRunner.run(new ResultStore(out, experiment), new LocalExecutor(REGISTRY, 1), folder, false,
                List.of("test"), new ExperimentRunner.Listener() {
                    @Override
                    public void started(Cell cell) {
                        started.add(cell);
                    }
                });
        List<Cell> cells = experiment.cells();   // width 8 seeds 0, 1, then width 16 seeds 0, 1
        assertThat(started).containsExactly(cells.get(2), cells.get(3), cells.get(0), cells.get(1));
        List<String> rows = Files.readAllLines(out.resolve("cells.csv"));
        for (int i = 0; i < cells.size(); i++) {
            assertThat(rows.get(i + 1)).startsWith(cells.get(i).id() + ",");
        }
    }

    @Test
    void aFolderHoldingAnotherConfigurationIsRefusedNamingBoth() throws Exception {
        Experiment experiment = experiment(TINY);
        Path out = folder.resolve("out");
        run(experiment, out, 1, false);
        Cell first = experiment.cells().get(0);
        Path config = new ResultStore(out, experiment).cellFolder(first).resolve("config.yaml");
        Files.writeString(config, Files.readString(config).replace("maxSteps: 20", "maxSteps: 30"));
        Files.delete(new ResultStore(out, experiment).cellFolder(experiment.cells().get(3)).resolve("summary.json"));
        assertThatThrownBy(() -> run(experiment, out, 1, false))
                .hasMessageContaining(config.getParent() + " holds a finished run of another configuration than cell "
                        + first.id())
                .hasMessageContaining("training.maxSteps: 30 in the folder, 20 in the experiment");
        assertThat(new ResultStore(out, experiment).cellFolder(experiment.cells().get(3)).resolve("summary.json"))
                .as("no cell ran").doesNotExist();
    }

    @Test
    void aFailedCellIsRecordedWithoutStoppingTheOthersAndRetriedOnlyWhenAsked() throws Exception {
        Experiment experiment = experiment(TINY.replace("seed: [0, 1]", """
                data: [lxmz, {name: npy, x: missing-x.npy, y: missing-y.npy}]"""));
        Path out = folder.resolve("out");
        ExperimentRunner.Outcome outcome = run(experiment, out, 2, false);
        assertThat(outcome.results().values()).extracting(CellResult::status)
                .containsExactly("step-budget", "failed", "step-budget", "failed");
        CellResult failed = outcome.results().get(experiment.cells().get(1));
        assertThat(failed.message()).contains("missing-x.npy");
        assertThat(Files.readString(out.resolve("cells.csv"))).contains(",failed,").contains("missing-x.npy");
        assertThat(run(experiment, out, 1, false).ran()).isEmpty();
        assertThat(run(experiment, out, 1, true).ran())
                .containsExactlyInAnyOrder(experiment.cells().get(1), experiment.cells().get(3));
        // a diverged cell is a result like any other
        Experiment diverging = experiment(TINY.replace("learningRate: 0.5", "learningRate: 1.0e4"));
        assertThat(run(diverging, folder.resolve("diverging"), 1, false).results().values())
                .extracting(CellResult::status).containsOnly("diverged");
    }

    @Test
    void twoJobsComputeWithSingleThreadedBlasAndRestoreItAfterwards() {
        int before = org.nd4j.linalg.factory.Nd4j.factory().blas().getMaxThreads();
        java.util.List<Integer> during = new java.util.concurrent.CopyOnWriteArrayList<>();
        ExperimentRunner.run(new ResultStore(folder.resolve("threads"), experiment(TINY)), new LocalExecutor(REGISTRY, 2),
                folder, false, List.of("test"), new ExperimentRunner.Listener() {
                    @Override
                    public void started(Cell cell) {
                        during.add(org.nd4j.linalg.factory.Nd4j.factory().blas().getMaxThreads());
                    }
                });
        assertThat(during).hasSize(4).containsOnly(1);
        assertThat(org.nd4j.linalg.factory.Nd4j.factory().blas().getMaxThreads()).isEqualTo(before);
    }

    @Test
    void oneJobAndTwoJobsGiveTheSameCellsAndParameters() throws Exception {
        Experiment experiment = experiment(TINY);
        Path one = folder.resolve("one");
        Path two = folder.resolve("two");
        run(experiment, one, 1, false);
        run(experiment, two, 2, false);
        assertThat(CellsCsv.withoutTimes(Files.readString(two.resolve("cells.csv"))))
                .isEqualTo(CellsCsv.withoutTimes(Files.readString(one.resolve("cells.csv"))));
        for (Cell cell : experiment.cells()) {
            String name = "cells/" + cell.folderName(experiment.labels());
            for (String file : List.of("params/final/dense-1.npy", "params/final/readout-2.npy", "metrics.csv")) {
                assertThat(Files.readAllBytes(two.resolve(name).resolve(file))).as(file)
                        .isEqualTo(Files.readAllBytes(one.resolve(name).resolve(file)));
            }
        }
    }
}
