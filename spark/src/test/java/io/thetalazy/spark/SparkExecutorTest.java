package io.thetalazy.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thetalazy.core.error.FrameworkException;
import io.thetalazy.core.plugin.Plugins;
import io.thetalazy.core.plugin.Registry;
import io.thetalazy.experiments.config.Cell;
import io.thetalazy.experiments.config.Experiment;
import io.thetalazy.experiments.config.ExperimentFiles;
import io.thetalazy.experiments.config.ExperimentFiles.Overrides;
import io.thetalazy.experiments.report.RunFolder;
import io.thetalazy.experiments.sweep.CellExecutor;
import io.thetalazy.experiments.sweep.CellExecutors;
import io.thetalazy.experiments.sweep.CellResult;
import io.thetalazy.experiments.sweep.ExperimentRunner;
import io.thetalazy.experiments.sweep.LocalExecutor;
import io.thetalazy.experiments.sweep.ResultStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.apache.spark.SparkException;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The spark-local executor against the local one, on one embedded Spark context (its start takes seconds). */
final class SparkExecutorTest {
    private static final Registry REGISTRY = Plugins.registry();
    /** Two task threads, two attempts per cell. */
    private static final String EXECUTOR = "spark-local[2,2]";
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
    static Path scratch;
    private static SparkExecutor spark;

    @TempDir
    Path folder;

    @BeforeAll
    static void start() {
        System.setProperty(SparkCell.SCRATCH, scratch.toString());
        try {
            spark = (SparkExecutor) CellExecutors.create(EXECUTOR, REGISTRY, 2);
        } finally {
            System.clearProperty(SparkCell.SCRATCH);
        }
    }

    @AfterAll
    static void stop() {
        spark.close();
    }

    private Experiment experiment(String text) {
        return ExperimentFiles.parse(text, "tiny.yaml", folder, Overrides.NONE);
    }

    private ExperimentRunner.Outcome run(Experiment experiment, Path out, CellExecutor executor) {
        return ExperimentRunner.run(new ResultStore(out, experiment), executor, folder, false, List.of("test"),
                ExperimentRunner.Listener.NONE);
    }

    private static LocalExecutor local() {
        return new LocalExecutor(REGISTRY, 2);
    }

    @Test
    void sparkWritesTheLocalExecutorsStoreRowForRow() throws Exception {
        Experiment experiment = experiment(TINY);
        Path local = folder.resolve("local");
        Path spark = folder.resolve("spark");
        run(experiment, local, local());
        ExperimentRunner.Outcome outcome = run(experiment, spark, SparkExecutorTest.spark);
        assertThat(outcome.ran()).hasSize(4);
        assertThat(outcome.results().values()).extracting(CellResult::status).containsOnly("step-budget");
        Stores.assertSame(spark, local, experiment);
        assertThat(Files.readString(spark.resolve(ResultStore.PROVENANCE)))
                .contains("\"executor\" : \"" + EXECUTOR + "\"", "\"jobs\" : 2");
        ResultStore store = ResultStore.open(spark);
        assertThat(store.cellsCsv(store.readAll())).isEqualTo(Files.readString(spark.resolve(ResultStore.CELLS)));
        assertThat(run(experiment, spark, SparkExecutorTest.spark).ran()).as("finished cells are skipped").isEmpty();
        assertThat(scratchFolders()).as("tasks leave no scratch folders").isEmpty();
    }

    @Test
    void halfFinishedOnOneExecutorAndCompletedOnTheOtherGivesTheSameStore() throws Exception {
        Experiment half = experiment(TINY.replace("width: [8, 16]", "width: [8]"));
        Experiment whole = experiment(TINY);
        Path reference = folder.resolve("reference");
        run(whole, reference, local());

        Path localFirst = folder.resolve("local-then-spark");
        run(half, localFirst, local());
        ExperimentRunner.Outcome completed = run(whole, localFirst, spark);
        assertThat(completed.ran()).containsExactlyInAnyOrderElementsOf(whole.cells().subList(2, 4));
        Stores.assertSame(localFirst, reference, whole);

        Path sparkFirst = folder.resolve("spark-then-local");
        run(half, sparkFirst, spark);
        assertThat(run(whole, sparkFirst, local()).ran())
                .containsExactlyInAnyOrderElementsOf(whole.cells().subList(2, 4));
        Stores.assertSame(sparkFirst, reference, whole);
    }

    @Test
    void aCellThatThrowsIsRetriedThenRecordedFailedWhileTheOthersFinish() throws Exception {
        Experiment experiment = experiment(TINY.replace("seed: [0, 1]", """
                data: [lxmz, {name: npy, x: missing-x.npy, y: missing-y.npy}]"""));
        TaskLog log = new TaskLog();
        spark.context().sc().addSparkListener(log);
        try {
            Path out = folder.resolve("spark");
            ExperimentRunner.Outcome outcome = run(experiment, out, spark);
            assertThat(outcome.results().values()).extracting(CellResult::status)
                    .containsExactly("step-budget", "failed", "step-budget", "failed");
            Cell failing = experiment.cells().get(1);
            assertThat(outcome.results().get(failing).message()).startsWith("[invalid-file]").contains("missing-x.npy");
            TaskLog.await(() -> log.ends(failing.id()).size() == 2);
            assertThat(log.ends(failing.id())).as("both attempts").containsExactly("failed", "failed");
            assertThat(log.ends(experiment.cells().get(0).id())).containsExactly("success");
            assertThat(new ResultStore(out, experiment).cellFolder(failing).resolve(ResultStore.FAILURE)).exists();

            Path local = folder.resolve("local");
            run(experiment, local, local());
            Stores.assertSame(out, local, experiment);   // the same failure messages as well
        } finally {
            spark.context().sc().removeSparkListener(log);
        }
    }

    @Test
    void aTaskKilledMidCellLeavesNoHalfCellAndIsRunAgain() throws Exception {
        Experiment experiment = experiment(TINY.replace("maxSteps: 20", "maxSteps: 400")
                .replace("width: [8, 16]", "width: [16]"));
        Cell victim = experiment.cells().get(0);
        String folderName = victim.folderName(experiment.labels());
        AtomicBoolean killed = new AtomicBoolean();
        TaskLog log = new TaskLog() {
            @Override
            void started(Start start) {
                if (start.cell().equals(victim.id()) && start.attempt() == 0) {
                    Thread killer = new Thread(() -> {
                        awaitTraining(folderName);
                        killed.set(spark.context().sc().killTaskAttempt(start.taskId(), true,
                                "simulated lost executor"));
                    });
                    killer.setDaemon(true);
                    killer.start();
                }
            }
        };
        spark.context().sc().addSparkListener(log);
        try {
            Path out = folder.resolve("spark");
            run(experiment, out, spark);
            TaskLog.await(() -> log.ends(victim.id()).size() == 2);
            assertThat(killed).as("killed mid-cell").isTrue();
            assertThat(log.ends(victim.id())).containsExactly("killed", "success");
            Path local = folder.resolve("local");
            run(experiment, local, local());
            Stores.assertSame(out, local, experiment);
            assertThat(scratchFolders()).isEmpty();
        } finally {
            spark.context().sc().removeSparkListener(log);
        }
    }

    @Test
    void aRunStoppedWithCellsInFlightLeavesOnlyWholeCellsAndTheRerunCompletesIt() throws Exception {
        Experiment experiment = experiment(TINY.replace("maxSteps: 20", "maxSteps: 200"));
        Cell third = experiment.cells().get(2);
        // the driver going away: every job cancelled once the third cell is training
        TaskLog log = new TaskLog() {
            @Override
            void started(Start start) {
                if (start.cell().equals(third.id())) {
                    Thread stopper = new Thread(() -> {
                        awaitTraining(third.folderName(experiment.labels()));
                        spark.context().cancelAllJobs();
                    });
                    stopper.setDaemon(true);
                    stopper.start();
                }
            }
        };
        spark.context().sc().addSparkListener(log);
        Path out = folder.resolve("spark");
        try {
            assertThatThrownBy(() -> run(experiment, out, spark)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("Spark stopped the run").hasMessageContaining("rerun");
        } finally {
            spark.context().sc().removeSparkListener(log);
        }
        ResultStore store = new ResultStore(out, experiment);
        List<CellResult> states = store.readAll().values().stream().toList();
        assertThat(states).extracting(CellResult::status).contains("pending").doesNotContain("failed");
        for (Cell cell : experiment.cells()) {
            Path cellFolder = store.cellFolder(cell);
            if (!Files.exists(cellFolder.resolve(RunFolder.SUMMARY))) {
                assertThat(Stores.files(cellFolder)).as("an unfinished cell has no files").isEmpty();
            }
        }
        assertThat(run(experiment, out, spark).ran()).isNotEmpty();
        Path local = folder.resolve("local");
        run(experiment, local, local());
        Stores.assertSame(out, local, experiment);
    }

    @Test
    void theExecutorsAreFoundByNameAndABadNameSaysWhatThereIs() {
        assertThat(CellExecutors.create(EXECUTOR, REGISTRY, 1).name()).isEqualTo(EXECUTOR);
        assertThatThrownBy(() -> CellExecutors.create("spark", REGISTRY, 1)).isInstanceOf(FrameworkException.class)
                .hasMessageContaining("runs inside spark-submit").hasMessageContaining("spark-local[N]");
        assertThatThrownBy(() -> CellExecutors.create("spark-local[0]", REGISTRY, 1))
                .hasMessageContaining("spark-local[N]");
        assertThatThrownBy(() -> CellExecutors.create("sparkle", REGISTRY, 1))
                .hasMessageContaining("executors here: local, spark, spark-local[N]");
    }

    @Test
    void theMessageOfAFailedJobIsTheCellsOwn() {
        var failure = new SparkException("Job aborted due to stage failure: Task 0 in stage 3.0 failed 2 times, most "
                + "recent failure: Lost task 0.1 in stage 3.0 (TID 7) (127.0.0.1 executor driver): "
                + "io.thetalazy.spark.CellFailure: [invalid-file] data file not found: x.npy\n\tat io.thetalazy.Some"
                + ".place(Some.java:1)\n\nDriver stacktrace:\n");
        assertThat(SparkExecutor.cellFailure(failure)).contains("[invalid-file] data file not found: x.npy");
        var lost = new SparkException("Job aborted due to stage failure: Task 0 in stage 1.0 failed 4 times, most "
                + "recent failure: Lost task 0.3 (TID 4) (host executor 2): ExecutorLostFailure (executor 2 exited "
                + "caused by one of the running tasks) Reason: Container killed\nDriver stacktrace:");
        assertThat(SparkExecutor.cellFailure(lost)).get(InstanceOfAssertFactories.STRING)
                .startsWith("spark: Task 0 in stage 1.0 failed 4 times").contains("ExecutorLostFailure");
        assertThat(SparkExecutor.cellFailure(new SparkException("Job 3 cancelled"))).isEmpty();
    }

    /** Waits until the cell's task has started training in its scratch folder. */
    private static void awaitTraining(String folderName) {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < deadline) {
            try (Stream<Path> tasks = Files.list(scratch)) {
                if (tasks.anyMatch(task -> Files.exists(task.resolve(folderName).resolve("metrics.csv.partial")))) {
                    return;
                }
                Thread.sleep(5);
            } catch (IOException e) {
                // a scratch folder deleted while listed
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static List<Path> scratchFolders() throws IOException {
        try (Stream<Path> entries = Files.list(scratch)) {
            return entries.filter(p -> p.getFileName().toString().startsWith(SparkCell.SCRATCH_PREFIX)).toList();
        }
    }
}
