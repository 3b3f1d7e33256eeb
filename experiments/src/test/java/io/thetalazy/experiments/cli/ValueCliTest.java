package io.thetalazy.experiments.cli;

import static io.thetalazy.experiments.cli.CliRunner.run;
import static org.assertj.core.api.Assertions.assertThat;

import io.thetalazy.experiments.cli.CliRunner.Result;
import io.thetalazy.kernels.io.Npy;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.factory.Nd4j;

/** Command-line values are checked with messages that name the option, the file and what was expected. */
final class ValueCliTest {
    @TempDir
    Path folder;

    private static final String SMALL = """
            width: 16
            depth: 2
            activation: tanh
            rule: {name: theta-lazy, gamma: 0.5}
            data: {name: sphere, n: 5, dimension: 3}
            training: {learningRate: 0.5, maxSteps: 5, recordEvery: 5, lossTolerance: 0}
            """;

    private Path config(String name, String text) throws Exception {
        Path file = folder.resolve(name);
        Files.writeString(file, text);
        return file;
    }

    private static void assertRefused(Result result, String message) {
        assertThat(result.code()).as(result.err()).isEqualTo(2);
        assertThat(result.err().strip()).contains(message).doesNotContain("\n", "Exception");
    }

    @Test
    void numericOptionsAreRangeChecked() throws Exception {
        Path config = config("run.yaml", SMALL);
        assertRefused(run("ntk", "--tile", "-5", "--config", config.toString(), "--out", folder.resolve("n").toString()),
                "--tile must be 0 (in one go) or a positive number of rows, found -5");
        assertRefused(run("train", "--width", "0", "--config", config.toString(), "--out", folder.resolve("t").toString()),
                "--width must be a positive width, found 0");
        assertRefused(run("quickstart", "--widths", "8,0", "--out", folder.resolve("q").toString()),
                "--widths must be positive widths, found 0");
        assertRefused(run("quickstart", "--depth", "0", "--out", folder.resolve("q").toString()),
                "--depth must be at least 1 (hidden layers), found 0");
        assertRefused(run("quickstart", "--exponents", "NaN", "--out", folder.resolve("q").toString()),
                "--exponents must be finite numbers, found NaN");
        assertRefused(run("bench", "--repeats", "0", "dgemm"), "--repeats must be at least 1, found 0");
        assertThat(folder.resolve("n")).doesNotExist();
        assertThat(folder.resolve("q")).doesNotExist();
    }

    @Test
    void aWrongFeatureCountNamesTheInputAndTheBiasCoordinate() throws Exception {
        Path config = config("run.yaml", SMALL);
        Npy.write(folder.resolve("three.npy"), Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.DOUBLE, 4, 3));
        Npy.write(folder.resolve("four.npy"), Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.DOUBLE, 2, 4));
        assertRefused(run("kernel", "--config", config.toString(), "--x1", folder.resolve("four.npy").toString(),
                "--x2", folder.resolve("three.npy").toString(), "--out", folder.resolve("k").toString()),
                "--x2 %s has shape [4, 3]; the network takes inputs of shape [n, 4]; data set 'sphere' appends a bias "
                        .formatted(folder.resolve("three.npy")) + "coordinate to its features (a constant column, the "
                        + "last of the 4): give --x2 that column too");
        assertThat(folder.resolve("k")).doesNotExist();
    }

    @Test
    void ntkParamsFromAnotherNetworkAreRefusedNamingTheFields() throws Exception {
        Path run = folder.resolve("run");
        Result trained = run("train", "--quiet", "--config", config("tanh.yaml", SMALL).toString(), "--out", run.toString());
        assertThat(trained.code()).as(trained.err()).isZero();
        Path other = config("erf.yaml", SMALL.replace("tanh", "erf").replace("gamma: 0.5", "gamma: 0.25")
                + "dtype: float32\n");
        assertRefused(run("ntk", "--config", other.toString(), "--params", run.toString(), "--out",
                folder.resolve("ntk").toString()), "--params: the run of %s has another network: activation tanh "
                        .formatted(run.resolve("card.json").toAbsolutePath()) + "(configured: erf), rule "
                        + "{\"name\":\"theta-lazy\",\"parameters\":{\"b\":[],\"gamma\":0.5,\"kappa0\":1.0}} (configured: "
                        + "{\"name\":\"theta-lazy\",\"parameters\":{\"b\":[],\"gamma\":0.25,\"kappa0\":1.0}}), "
                        + "dtype float64 (configured: float32); use the run's config.yaml as --config");
        Result same = run("ntk", "--config", run.resolve("config.yaml").toString(), "--params",
                run.resolve("params/final").toString(), "--out", folder.resolve("ntk").toString());
        assertThat(same.code()).as(same.err()).isZero();
    }

    @Test
    void anEmptyConfigSaysDefaultsAreUsed() throws Exception {
        Result card = run("card", "--config", config("empty.yaml", "# nothing set\n").toString());
        assertThat(card.code()).isZero();
        assertThat(card.err().strip()).isEqualTo("note: %s holds no settings; every key takes its default (thetalazy "
                .formatted(folder.resolve("empty.yaml")) + "card --config %s prints them)"
                .formatted(folder.resolve("empty.yaml")));
    }
}
