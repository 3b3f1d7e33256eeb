package io.thetalazy.experiments.cli;

import static io.thetalazy.experiments.cli.CliRunner.run;
import static org.assertj.core.api.Assertions.assertThat;

import io.thetalazy.experiments.cli.CliRunner.Result;
import io.thetalazy.kernels.io.Npy;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** Sizes and scales that cannot work are refused before anything is allocated or written, in one line. */
final class SizesCliTest {
    @TempDir
    Path folder;

    private Result train(String yaml) throws Exception {
        Path config = folder.resolve("run.yaml");
        Files.writeString(config, yaml);
        return run("train", "--quiet", "--config", config.toString(), "--out", folder.resolve("out").toString());
    }

    private void assertRefused(Result result, String... parts) {
        assertThat(result.code()).as(result.err()).isEqualTo(2);
        assertThat(result.err().strip()).contains(parts).doesNotContain("\n", "Exception", "internal");
        assertThat(folder.resolve("out")).as("nothing written").doesNotExist();
    }

    @Test
    void aLayerBeyondOneArrayIsRefusedUpFront() throws Exception {
        assertRefused(train("width: 200000\ndepth: 3\n"), "error [insufficient-memory]: layer dense-2 would have "
                + "40,000,000,000 weights (width 200000); one array holds at most 2,147,483,647: lower the width");
    }

    @Test
    void aNetworkBeyondTheMemoryIsRefusedWithTheSizes() throws Exception {
        assertRefused(train("width: 40000\ndepth: 3\n"), "error [insufficient-memory]: width 40000, depth 3 "
                + "(3,200,120,000 parameters, their copy and gradients, and the activations of 4 samples) need about "
                + "71.5 GiB of native memory, but only ", "lower the width or give the JVM more memory");
    }

    @Test
    void inputsOrTargetsWhoseSquaresOverflowAreRefusedAtLoad() throws Exception {
        Npy.write(folder.resolve("x.npy"), Nd4j.create(new double[][] {{1e300, 1}, {0.5, 1}}));
        Npy.write(folder.resolve("y.npy"), Nd4j.create(new double[] {1, 2}, new long[] {2, 1}, DataType.DOUBLE));
        Npy.write(folder.resolve("x1.npy"), Nd4j.create(new double[][] {{0.2, 1}, {0.5, 1}}));
        Npy.write(folder.resolve("big-y.npy"), Nd4j.create(new double[] {1e300, 2}, new long[] {2, 1}, DataType.DOUBLE));
        assertRefused(train("width: 8\ndata: {name: npy, x: x.npy, y: y.npy}\n"), "error [non-finite-value]: data npy: "
                + "the inputs x reach 1.00e+300 in absolute value: their squares overflow float64");
        assertRefused(train("width: 8\ndata: {name: npy, x: x1.npy, y: big-y.npy}\n"), "data npy: the targets y reach "
                + "1.00e+300 in absolute value");
    }
}
