package io.thetalazy.experiments.cli;

import static io.thetalazy.experiments.cli.CliRunner.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.thetalazy.experiments.cli.CliRunner.Result;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.thetalazy.kernels.io.Npy;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The kernel and ntk commands, for fcn and cnn configs, and train and card with architecture cnn. */
final class KernelCliTest {
    @TempDir
    Path folder;

    private static final String FCN = """
            width: 400
            depth: 2
            activation: erf
            rule: {name: standard, gain: he}
            data: {name: sphere, n: 6, dimension: 3}
            training: {learningRate: auto, maxSteps: 30, lossTolerance: 0}
            """;

    private static final String CNN = """
            architecture: cnn
            width: 6
            depth: 2
            activation: relu
            options: {kernelSize: 3, readout: global-average}
            rule: ntk
            data: {name: npy, x: images.npy, y: labels.npy}
            training: {learningRate: 0.1, maxSteps: 5, lossTolerance: 0}
            """;

    private Path write(String name, String text) throws Exception {
        Path file = folder.resolve(name);
        Files.writeString(file, text);
        return file;
    }

    @Test
    void kernelWritesTheLimitsAndNtkTheEmpiricalKernels() throws Exception {
        Path config = write("fcn.yaml", FCN);
        Result limit = run("kernel", "--config", config.toString(), "--out", folder.resolve("limit").toString());
        assertThat(limit.code()).as(limit.err()).isZero();
        for (String file : new String[] {"nngp.npy", "K-1.npy", "K-2.npy", "K-3.npy", "summary.json"}) {
            assertThat(folder.resolve("limit").resolve(file)).exists();
        }
        JsonNode summary = new ObjectMapper().readTree(folder.resolve("limit/summary.json").toFile());
        assertThat(summary.path("lambdaS").asDouble()).isPositive();
        assertThat(summary.path("layers").get(0).path("lambdaMin").asDouble()).isPositive();
        Result ntk = run("ntk", "--config", config.toString(), "--out", folder.resolve("ntk").toString());
        assertThat(ntk.code()).as(ntk.err()).isZero();
        INDArray g = Npy.read(folder.resolve("ntk/G-1.npy"));
        INDArray k = Npy.read(folder.resolve("limit/K-1.npy"));
        assertThat(g.shape()).containsExactly(6, 6);
        // at m = 400 the empirical Gram matrix is within a few 1/sqrt(m) of its limit
        assertThat(g.sub(k).norm2Number().doubleValue() / k.norm2Number().doubleValue()).isLessThan(0.3);
        assertThat(folder.resolve("ntk/theta-train.npy")).exists();
    }

    @Test
    void ntkReadsTheWeightsOfARunAndKernelTakesTwoInputSets() throws Exception {
        Path config = write("fcn.yaml", FCN);
        Result run = run("train", "--quiet", "--config", config.toString(), "--out", folder.resolve("run").toString());
        assertThat(run.code()).as(run.err()).isZero();
        Result init = run("ntk", "--config", config.toString(), "--params", folder.resolve("run/params/init").toString(),
                "--out", folder.resolve("at-init").toString());
        Result fresh = run("ntk", "--config", config.toString(), "--out", folder.resolve("fresh").toString());
        Result trained = run("ntk", "--config", config.toString(), "--params", folder.resolve("run").toString(),
                "--out", folder.resolve("trained").toString());
        assertThat(init.code() + fresh.code() + trained.code()).isZero();
        INDArray a = Npy.read(folder.resolve("at-init/theta-train.npy"));
        INDArray b = Npy.read(folder.resolve("fresh/theta-train.npy"));
        INDArray c = Npy.read(folder.resolve("trained/theta-train.npy"));
        assertThat(a.data().asDouble()).containsExactly(b.data().asDouble());
        assertThat(c.sub(a).norm2Number().doubleValue()).isPositive();
        Npy.write(folder.resolve("x2.npy"), Npy.read(folder.resolve("run/data/x.npy")).getRows(0, 1, 2));
        Result cross = run("kernel", "--config", config.toString(), "--x1", folder.resolve("run/data/x.npy").toString(),
                "--x2", folder.resolve("x2.npy").toString(), "--out", folder.resolve("cross").toString());
        assertThat(cross.code()).as(cross.err()).isZero();
        assertThat(Npy.read(folder.resolve("cross/K-2.npy")).shape()).containsExactly(6, 3);
        Result wrong = run("ntk", "--config", config.toString(), "--params", folder.resolve("nothing").toString(),
                "--out", folder.resolve("w").toString());
        assertThat(wrong.code()).isEqualTo(2);
        assertThat(wrong.err()).contains("has no dense-1.npy");
        // a finished run that kept no parameters (training.saveParams: false) says so
        Files.move(folder.resolve("run/params"), folder.resolve("moved-params"));
        Result bare = run("ntk", "--config", config.toString(), "--params", folder.resolve("run").toString(),
                "--out", folder.resolve("b").toString());
        assertThat(bare.code()).isEqualTo(2);
        assertThat(bare.err()).contains("kept no parameters").contains("leave out --params");
    }

    @Test
    void cnnConfigsTrainPrintCardsAndGiveKernels() throws Exception {
        org.nd4j.linalg.api.ndarray.INDArray images = io.thetalazy.core.init.Initializers.GAUSSIAN
                .sample(new long[] {4, 1, 5, 5}, new java.util.SplittableRandom(3));
        Npy.write(folder.resolve("images.npy"), images);
        Npy.write(folder.resolve("labels.npy"), org.nd4j.linalg.factory.Nd4j.createFromArray(1.0, -1.0, 1.0, -1.0));
        Path config = write("cnn.yaml", CNN);
        Result card = run("card", "--config", config.toString());
        assertThat(card.code()).as(card.err()).isZero();
        assertThat(card.out()).contains("conv2d-1", "conv2d-2", "readout-3");
        Result train = run("train", "--quiet", "--config", config.toString(), "--out", folder.resolve("run").toString());
        assertThat(train.code()).as(train.err()).isZero();
        assertThat(Npy.read(folder.resolve("run/params/init/conv2d-2.npy")).shape()).containsExactly(6, 6, 3, 3);
        Result limit = run("kernel", "--config", config.toString(), "--out", folder.resolve("k").toString());
        assertThat(limit.code()).as(limit.err()).isZero();
        Result ntk = run("ntk", "--config", config.toString(), "--out", folder.resolve("n").toString());
        assertThat(ntk.code()).as(ntk.err()).isZero();
        INDArray k = Npy.read(folder.resolve("k/K-3.npy"));
        INDArray g = Npy.read(folder.resolve("n/G-3.npy"));
        assertThat(g.shape()).isEqualTo(k.shape());
        assertThat(g.getDouble(0, 0) / k.getDouble(0, 0)).isCloseTo(1, within(1.0));
    }
}
