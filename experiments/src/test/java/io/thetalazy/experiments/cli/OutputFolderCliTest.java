package io.thetalazy.experiments.cli;

import static io.thetalazy.experiments.cli.CliRunner.run;
import static org.assertj.core.api.Assertions.assertThat;

import io.thetalazy.experiments.cli.CliRunner.Result;
import io.thetalazy.experiments.report.OutputFolder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every command that writes a folder claims it: one run per folder, one writer at a time. */
final class OutputFolderCliTest {
    @TempDir
    Path folder;

    private static final String SMALL = """
            width: 20
            depth: 2
            activation: tanh
            data: lxmz
            training: {learningRate: 0.5, maxSteps: 20, recordEvery: 5, lossTolerance: 0}
            """;

    private Path config(String name, String text) throws Exception {
        Path file = folder.resolve(name);
        Files.writeString(file, text);
        return file;
    }

    @Test
    void aSecondProcessIsRefusedAndAKilledHoldersLockIsTakenOver() throws Exception {
        Path out = folder.resolve("run");
        Path log = folder.resolve("child.log");
        Path slow = config("slow.yaml", SMALL.replace("maxSteps: 20", "maxSteps: 100000000") + "seed: 1\n");
        Process child = ChildProcess.start(log, "train", "--quiet", "--config", slow.toString(), "--out", out.toString());
        try {
            String pid = "pid=" + child.pid();
            assertThat(ChildProcess.await(child, 120, () -> ChildProcess.read(out.resolve(OutputFolder.MARKER)).contains(pid)
                    && Files.exists(out.resolve("metrics.csv.partial")))).as(ChildProcess.read(log)).isTrue();
            Path other = config("other.yaml", SMALL + "seed: 2\n");
            for (String[] extra : new String[][] {{}, {"--overwrite"}}) {
                List<String> args = new java.util.ArrayList<>(List.of("train", "--quiet", "--config", other.toString(),
                        "--out", out.toString()));
                args.addAll(List.of(extra));
                Result second = run(args.toArray(String[]::new));
                assertThat(second.code()).isEqualTo(2);
                assertThat(second.err()).contains("error [output-folder]: " + out + " is in use by pid " + child.pid(),
                        "(thetalazy train, since ").doesNotContain("Exception");
            }
            assertThat(ChildProcess.read(out.resolve("config.yaml"))).contains("seed: 1");
            ChildProcess.kill(child);
            Result again = run("train", "--quiet", "--config", other.toString(), "--out", out.toString());
            assertThat(again.code()).isEqualTo(2);
            assertThat(again.err()).contains(out + " holds a train run", "--overwrite");
            Result replaced = run("train", "--quiet", "--overwrite", "--config", other.toString(), "--out", out.toString());
            assertThat(replaced.code()).as(replaced.err()).isZero();
            assertThat(replaced.err()).contains("was left locked by pid " + child.pid(), "taken over");
            assertThat(Files.readString(out.resolve("config.yaml"))).contains("seed: 2").doesNotContain("seed: 1");
            assertThat(Files.readAllLines(out.resolve("metrics.csv"))).hasSize(1 + 5);
            assertThat(out.resolve("metrics.csv.partial")).doesNotExist();
        } finally {
            child.destroyForcibly();
        }
    }

    @Test
    void aFolderHoldsOneRunOnly() throws Exception {
        Path out = folder.resolve("run");
        Path deep = config("deep.yaml", SMALL.replace("depth: 2", "depth: 3"));
        assertThat(run("train", "--quiet", "--config", deep.toString(), "--out", out.toString()).code()).isZero();
        Path shallow = config("shallow.yaml", SMALL);
        Result refused = run("train", "--quiet", "--config", shallow.toString(), "--out", out.toString());
        assertThat(refused.code()).isEqualTo(2);
        assertThat(refused.err()).contains(out + " holds a train run; a results folder belongs to one run: add "
                + "--overwrite to delete its contents first, or choose another --out");
        for (String command : List.of("kernel", "ntk")) {
            Result kernel = run(command, "--overwrite", "--config", shallow.toString(), "--out", out.toString());
            assertThat(kernel.code()).isEqualTo(2);
            assertThat(kernel.err()).contains(out + " holds a training run; write " + command + " results to another "
                    + "folder (for example " + out.resolve(command) + ")");
        }
        assertThat(Files.readString(out.resolve("summary.json"))).contains("\"status\"");
        Result replaced = run("train", "--quiet", "--overwrite", "--config", shallow.toString(), "--out", out.toString());
        assertThat(replaced.code()).as(replaced.err()).isZero();
        try (Stream<Path> files = Files.list(out.resolve("params/final"))) {
            assertThat(files.map(p -> p.getFileName().toString()).sorted())
                    .containsExactly("dense-1.npy", "dense-2.npy", "readout-3.npy");
        }
        Path kernels = out.resolve("kernel");
        assertThat(run("kernel", "--config", shallow.toString(), "--out", kernels.toString()).code()).isZero();
        Result twice = run("kernel", "--config", shallow.toString(), "--out", kernels.toString());
        assertThat(twice.err()).contains(kernels + " holds a kernel run");
        assertThat(run("kernel", "--overwrite", "--config", shallow.toString(), "--out", kernels.toString()).code())
                .isZero();
    }

    @Test
    void anEmptyOutIsAnErrorAndNothingIsWritten() throws Exception {
        Path config = config("run.yaml", SMALL);
        for (String command : List.of("train", "kernel", "ntk", "quickstart")) {
            Result result = command.equals("quickstart") ? run(command, "--out", "")
                    : run(command, "--config", config.toString(), "--out", "");
            assertThat(result.code()).as(command).isEqualTo(2);
            assertThat(result.err()).as(command).contains("the output folder is empty: give --out a folder name");
        }
        assertThat(Path.of("data")).as("nothing written to the working directory").doesNotExist();
        assertThat(Path.of(OutputFolder.MARKER)).doesNotExist();
    }
}
