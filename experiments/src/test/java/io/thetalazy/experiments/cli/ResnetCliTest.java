package io.thetalazy.experiments.cli;

import static io.thetalazy.experiments.cli.CliRunner.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.thetalazy.core.init.Initializers;
import io.thetalazy.experiments.cli.CliRunner.Result;
import io.thetalazy.kernels.io.Npy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** train, card, kernel and ntk with architecture resnet: the plugin needs nothing of its own in experiments. */
final class ResnetCliTest {
    @TempDir
    Path folder;

    private static final String DENSE = """
            architecture: resnet
            width: 200
            depth: 5
            activation: relu
            options: {blocks: 2, tau: 1/sqrt(B)}
            rule: {name: standard, gain: he}
            data: {name: sphere, n: 6, dimension: 3}
            training: {learningRate: auto, maxSteps: 30, lossTolerance: 0}
            """;

    private static final String CONV = """
            architecture: resnet
            width: 6
            depth: 3
            activation: relu
            options: {branch: conv, kernelSize: 3, readout: global-average}
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
    void denseResnetTrainsAndGivesItsCardAndKernels() throws Exception {
        Path config = write("resnet.yaml", DENSE);
        Result train = run("train", "--quiet", "--config", config.toString(), "--out", folder.resolve("run").toString());
        assertThat(train.code()).as(train.err()).isZero();
        for (String name : new String[] {"embedding-1", "dense-2", "dense-3", "dense-4", "dense-5", "readout-6"}) {
            assertThat(folder.resolve("run/params/final/" + name + ".npy")).as(name).exists();
        }
        JsonNode card = new ObjectMapper().readTree(folder.resolve("run/card.json").toFile());
        assertThat(card.path("depth").asInt()).isEqualTo(5);
        assertThat(card.path("kappaConvention").asText()).isEqualTo("gains-pulled-out");
        JsonNode blocks = card.path("blockInvariants");
        assertThat(blocks).hasSize(2);
        assertThat(blocks.get(1).path("layers").toString()).isEqualTo("[4,5]");
        // tau sigma_v sigma_w = (1/sqrt 2) sqrt 2 sqrt 2
        assertThat(blocks.get(0).path("value").asDouble()).isCloseTo(Math.sqrt(2), org.assertj.core.api.Assertions
                .within(1e-12));
        Result text = run("card", "--config", config.toString());
        assertThat(text.code()).as(text.err()).isZero();
        assertThat(text.out()).contains("embedding-1", "readout-6", "block 2 (layers [4, 5])");
        Result limit = run("kernel", "--config", config.toString(), "--out", folder.resolve("limit").toString());
        assertThat(limit.code()).as(limit.err()).isZero();
        Result ntk = run("ntk", "--config", config.toString(), "--out", folder.resolve("ntk").toString());
        assertThat(ntk.code()).as(ntk.err()).isZero();
        for (int l = 1; l <= 6; l++) {
            INDArray k = Npy.read(folder.resolve("limit/K-" + l + ".npy"));
            INDArray g = Npy.read(folder.resolve("ntk/G-" + l + ".npy"));
            // m = 200: the empirical Gram matrix within a few 1/sqrt(m) of its limit
            assertThat(g.sub(k).norm2Number().doubleValue() / k.norm2Number().doubleValue()).as("G-%d", l)
                    .isLessThan(0.5);
        }
    }

    @Test
    void convResnetTrainsOnImages() throws Exception {
        INDArray images = Initializers.GAUSSIAN.sample(new long[] {4, 1, 5, 5}, new SplittableRandom(3));
        Npy.write(folder.resolve("images.npy"), images);
        Npy.write(folder.resolve("labels.npy"), Nd4j.createFromArray(1.0, -1.0, 1.0, -1.0));
        Path config = write("conv.yaml", CONV);
        Result train = run("train", "--quiet", "--config", config.toString(), "--out", folder.resolve("run").toString());
        assertThat(train.code()).as(train.err()).isZero();
        assertThat(Npy.read(folder.resolve("run/params/init/conv2d-3.npy")).shape()).containsExactly(6, 6, 3, 3);
        Result limit = run("kernel", "--config", config.toString(), "--out", folder.resolve("k").toString());
        assertThat(limit.code()).as(limit.err()).isZero();
        assertThat(Npy.read(folder.resolve("k/K-4.npy")).shape()).containsExactly(4, 4);
    }

    @Test
    void badOptionsAreConfigErrors() throws Exception {
        Path config = write("bad.yaml", DENSE.replace("depth: 5", "depth: 4"));
        Result card = run("card", "--config", config.toString());
        assertThat(card.code()).isEqualTo(2);
        assertThat(card.err()).contains("resnet depth counts the trainable layers before the readout");
    }
}
