package io.thetalazy.experiments.cli;

import static io.thetalazy.experiments.cli.CliRunner.run;
import static org.assertj.core.api.Assertions.assertThat;

import io.thetalazy.experiments.cli.CliRunner.Result;
import io.thetalazy.experiments.report.Checkpoints;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run killed with kill -9 and resumed ends bit for bit as the uninterrupted run. */
final class ResumeCliTest {
    @TempDir
    Path folder;

    private static final String RUN = """
            width: 16
            depth: 2
            activation: tanh
            rule: {name: theta-lazy, gamma: 0.25}
            data: {name: sphere, n: 8, dimension: 3}
            training: {learningRate: adaptive, adaptiveEvery: 5, maxSteps: 1500, recordEvery: 7, lossTolerance: 0,
                       checkpointSteps: 50, checkpointSeconds: 0}
            seed: 5
            """;

    private Path config() throws Exception {
        Path file = folder.resolve("run.yaml");
        Files.writeString(file, RUN);
        return file;
    }

    private static List<String> files(Path params) throws Exception {
        try (Stream<Path> entries = Files.list(params)) {
            return entries.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void resumedAfterKillNineEndsBitIdentical() throws Exception {
        Path config = config();
        Path whole = folder.resolve("whole");
        Result reference = run("train", "--quiet", "--config", config.toString(), "--out", whole.toString());
        assertThat(reference.code()).as(reference.err()).isZero();
        assertThat(whole.resolve(Checkpoints.FOLDER)).as("a finished run keeps no checkpoint").doesNotExist();
        Random random = new Random(99);
        for (int round = 0; round < 3; round++) {
            Path out = folder.resolve("killed-" + round);
            long target = 60 + random.nextInt(900);
            Path log = folder.resolve("child-" + round + ".log");
            Process child = ChildProcess.start(log, "train", "--quiet", "--config", config.toString(), "--out",
                    out.toString());
            try {
                boolean reached = ChildProcess.await(child, 120,
                        () -> Checkpoints.step(out).map(step -> step >= target).orElse(false));
                assertThat(reached).as("checkpoint at step %d before the run ended: %s", target,
                        ChildProcess.read(log)).isTrue();
            } finally {
                ChildProcess.kill(child);
            }
            assertThat(out.resolve("summary.json")).doesNotExist();
            Result again = run("train", "--quiet", "--config", config.toString(), "--out", out.toString());
            assertThat(again.code()).isEqualTo(2);
            assertThat(again.err()).contains(out + " holds an interrupted run with a checkpoint at step ",
                    "add --resume to continue it, or --overwrite to start again");
            Result resumed = run("train", "--quiet", "--resume", "--config", config.toString(), "--out", out.toString());
            assertThat(resumed.code()).as(resumed.err()).isZero();
            assertThat(Files.readString(out.resolve("metrics.csv"))).as("round %d", round)
                    .isEqualTo(Files.readString(whole.resolve("metrics.csv")));
            assertThat(files(out.resolve("params/final"))).isEqualTo(files(whole.resolve("params/final")));
            for (String name : files(whole.resolve("params/final"))) {
                assertThat(Files.readAllBytes(out.resolve("params/final").resolve(name))).as(name)
                        .isEqualTo(Files.readAllBytes(whole.resolve("params/final").resolve(name)));
            }
            assertThat(out.resolve(Checkpoints.FOLDER)).doesNotExist();
            assertThat(out.resolve("metrics.csv.partial")).doesNotExist();
        }
    }

    @Test
    void resumeNeedsTheRunsOwnConfigAndACheckpoint() throws Exception {
        Path config = config();
        Path out = folder.resolve("done");
        Files.writeString(folder.resolve("short.yaml"), RUN.replace("maxSteps: 1500", "maxSteps: 60"));
        Path shortRun = folder.resolve("short.yaml");
        assertThat(run("train", "--quiet", "--config", shortRun.toString(), "--out", out.toString()).code()).isZero();
        Result other = run("train", "--quiet", "--resume", "--config", config.toString(), "--out", out.toString());
        assertThat(other.code()).isEqualTo(2);
        assertThat(other.err()).contains("--resume continues a run with its own config", "maxSteps: 60",
                "maxSteps: 1500");
        Result finished = run("train", "--quiet", "--resume", "--config", shortRun.toString(), "--out", out.toString());
        assertThat(finished.err()).contains(out + " holds a finished run (summary.json): nothing to resume");
        Result both = run("train", "--resume", "--overwrite", "--config", config.toString(), "--out", out.toString());
        assertThat(both.err()).contains("--resume continues the run in --out, --overwrite deletes it");
    }
}
