package io.thetalazy.experiments.cli;

import static io.thetalazy.experiments.cli.CliRunner.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.thetalazy.core.layer.BlasInfo;
import io.thetalazy.experiments.cli.CliRunner.Result;
import io.thetalazy.kernels.io.Npy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

final class CliTest {
    @TempDir
    Path folder;

    private static final String SMALL = """
            width: 50
            depth: 2
            activation: tanh
            rule: {name: theta-lazy, gamma: 0.5}
            data: lxmz
            training: {learningRate: 0.5, maxSteps: 40, recordEvery: 10, lossTolerance: 0}
            seed: 3
            """;

    private Path config(String name, String text) throws Exception {
        Path file = folder.resolve(name);
        Files.writeString(file, text);
        return file;
    }

    @Test
    void trainWritesEveryFileOfTheRunFolder() throws Exception {
        Path out = folder.resolve("run");
        Result result = run("train", "--config", config("run.yaml", SMALL).toString(), "--out", out.toString());
        assertThat(result.code()).as(result.err()).isZero();
        assertThat(result.out()).contains("# effective config", "parametrization card", "step-budget after 40 steps");
        for (String file : List.of("config.yaml", "card.json", "metrics.csv", "summary.json", "data/x.npy", "data/y.npy",
                "params/init/dense-1.npy", "params/init/dense-2.npy", "params/init/readout-3.npy",
                "params/final/readout-3.npy", "loss.png", "rd.png")) {
            assertThat(out.resolve(file)).as(file).exists();
        }
        assertThat(out.resolve("metrics.csv.partial")).doesNotExist();
        List<String> metrics = Files.readAllLines(out.resolve("metrics.csv"));
        assertThat(metrics.get(0)).isEqualTo("step,time,learningRate,loss,rd,rd-1,rd-2,rd-3");
        assertThat(metrics).hasSize(1 + 5);
        JsonNode card = new ObjectMapper().readTree(out.resolve("card.json").toFile());
        List<String> fields = new ArrayList<>();
        card.fieldNames().forEachRemaining(fields::add);
        assertThat(fields).containsSubsequence("architecture", "width", "depth", "inputDimension", "activation",
                "homogeneous", "bias", "initializer", "antisymmetric", "rule", "layers", "outputMultiplier",
                "learningRate", "learningRateMode", "kappa", "kappaConvention", "logKappaOverLogM", "kappaExponent",
                "regime");
        assertThat(card.path("layers").get(0).path("name").asText()).isEqualTo("dense-1");
        assertThat(card.path("layers").get(2).path("shape").toString()).isEqualTo("[1,50]");
        assertThat(card.path("learningRate").asDouble()).isEqualTo(0.5);
        assertThat(card.path("kappaConvention").asText()).isEqualTo("gains-inside");
        assertThat(fields.get(fields.size() - 1)).isEqualTo("dtype");
        assertThat(card.path("dtype").asText()).isEqualTo("float64");
        JsonNode blas = card.path("provenance").path("blas");
        assertThat(blas.path("vendor").asText()).isIn("OPENBLAS", "MKL");
        if (blas.path("vendor").asText().equals("OPENBLAS")) {
            assertThat(blas.path("coreType").asText()).isEqualTo(BlasInfo.current().coreType());
            assertThat(blas.path("version").asText()).matches("\\d+\\.\\d+\\.\\d+");
        }
        assertThat(card.path("provenance").path("java").asText()).isNotBlank();
        JsonNode summary = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
        assertThat(summary.path("status").asText()).isEqualTo("step-budget");
        assertThat(summary.path("steps").asLong()).isEqualTo(40);
        INDArray w = Npy.read(out.resolve("params/init/dense-1.npy"));
        assertThat(w.shape()).containsExactly(50, 2);
        assertThat(Npy.read(out.resolve("data/x.npy")).shape()).containsExactly(4, 2);
    }

    @Test
    void benchLineNamesTheBlasLibraryAndItsKernels() throws Exception {
        Result result = run("bench", "dgemm", "--repeats", "1", "--warmup", "0");
        assertThat(result.code()).as(result.err()).isZero();
        JsonNode line = new ObjectMapper().readTree(result.out().strip());
        assertThat(line.path("warmup_runs").asInt()).as("--warmup 0: one warm-up run, as the peers").isEqualTo(1);
        assertThat(line.path("warmup_s").isNumber()).as("the warm-up's seconds").isTrue();
        assertThat(line.path("warmup_compiler_quiet").isBoolean()).isTrue();
        assertThat(line.path("blas").asText()).isIn("OPENBLAS", "MKL");
        assertThat(line.path("cpu").asText()).isNotBlank();
        if (line.path("blas").asText().equals("OPENBLAS")) {
            assertThat(line.path("blas_core_type").asText()).isEqualTo(BlasInfo.current().coreType());
            assertThat(line.path("blas_version").asText()).isEqualTo(BlasInfo.current().version());
        }
        assertThat(line.path("checksum").asDouble()).as("GFLOP/s").isPositive();
    }

    @Test
    void cnnStepsGemmsRunAlone() throws Exception {
        Result result = run("bench", "cnn-gemms", "--repeats", "1", "--warmup", "0");
        assertThat(result.code()).as(result.err()).isZero();
        JsonNode line = new ObjectMapper().readTree(result.out().strip());
        assertThat(line.path("workload").asText()).isEqualTo("cnn-gemms");
        assertThat(line.path("median_s").asDouble()).isPositive();
        assertThat(line.path("checksum").asDouble()).isFinite();
    }

    @Test
    void float32RunTrainsAndRecordsItsDtype() throws Exception {
        Path out = folder.resolve("single");
        Result result = run("train", "--quiet", "--config", config("run.yaml", SMALL + "dtype: float32\n").toString(),
                "--out", out.toString());
        assertThat(result.code()).as(result.err()).isZero();
        assertThat(new ObjectMapper().readTree(out.resolve("card.json").toFile()).path("dtype").asText())
                .isEqualTo("float32");
        assertThat(Files.readString(out.resolve("config.yaml"))).contains("dtype: float32");
        JsonNode summary = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
        assertThat(summary.path("steps").asLong()).isEqualTo(40);
        assertThat(Double.isFinite(summary.path("finalLoss").asDouble())).isTrue();
    }

    @Test
    void sameSeedAndConfigGiveBitIdenticalResults() throws Exception {
        Path config = config("run.yaml", SMALL);
        assertThat(run("train", "--quiet", "--config", config.toString(), "--out", folder.resolve("a").toString()).code())
                .isZero();
        assertThat(run("train", "--quiet", "--config", config.toString(), "--out", folder.resolve("b").toString()).code())
                .isZero();
        assertThat(run("train", "--quiet", "--seed", "4", "--config", config.toString(), "--out",
                folder.resolve("c").toString()).code()).isZero();
        INDArray a = Npy.read(folder.resolve("a/params/final/dense-2.npy"));
        INDArray b = Npy.read(folder.resolve("b/params/final/dense-2.npy"));
        INDArray c = Npy.read(folder.resolve("c/params/final/dense-2.npy"));
        assertThat(a.data().asDouble()).containsExactly(b.data().asDouble());
        assertThat(a.data().asDouble()).isNotEqualTo(c.data().asDouble());
        assertThat(Files.readString(folder.resolve("a/metrics.csv"))).isEqualTo(Files.readString(folder.resolve("b/metrics.csv")));
    }

    @Test
    void badInputsGiveClearErrorsAndExitCodeTwo() throws Exception {
        String[][] cases = {
            {"width: -5\n", "width must be positive, found -5"},
            {"rule: ntc\n", "Unknown scaling rule 'ntc' (did you mean 'ntk'?)"},
            {"architecture: fnc\n", "Unknown architecture 'fnc' (did you mean 'fcn'?)"},
            {"activation: rleu\n", "Unknown activation 'rleu' (did you mean 'relu'?)"},
            {"depht: 3\n", "unknown key 'depht' (did you mean 'depth'?)"},
            {"rule: {name: lxmz, gamma: 1}\ndepth: 3\n", "the lxmz rule is for two-layer networks"},
            {"data: {name: npy, x: nope.npy, y: nope.npy}\n", "file not found"},
        };
        for (String[] c : cases) {
            Result result = run("train", "--config", config("bad.yaml", c[0]).toString(), "--out",
                    folder.resolve("bad").toString());
            assertThat(result.code()).as(c[0]).isEqualTo(2);
            assertThat(result.err()).as(c[0]).contains(c[1]);
        }
        Result missing = run("card", "--config", folder.resolve("absent.yaml").toString());
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.err()).contains("config file not found");
        Npy.write(folder.resolve("x3.npy"), Nd4j.zeros(4, 2, 2));
        Npy.write(folder.resolve("y3.npy"), Nd4j.zeros(4));
        Result shape = run("card", "--config", config("shape.yaml", "data: {name: npy, x: x3.npy, y: y3.npy}\n").toString());
        assertThat(shape.code()).isEqualTo(2);
        assertThat(shape.err()).contains("fcn takes feature vectors [d]");
    }

    @Test
    void divergingRunStopsWithAStatusNotAStackTrace() throws Exception {
        Path out = folder.resolve("diverged");
        Result result = run("train", "--quiet", "--config", config("big.yaml", SMALL.replace("learningRate: 0.5",
                "learningRate: 1000")).toString(), "--out", out.toString());
        assertThat(result.code()).isEqualTo(2);
        assertThat(result.err()).containsAnyOf("diverged", "exceeds", "became").doesNotContain("Exception");
        JsonNode summary = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
        assertThat(summary.path("status").asText()).isIn("diverged", "non-finite");
        assertThat(out.resolve("metrics.csv")).exists();
    }

    @Test
    void cardAndArchitecturesPrint() throws Exception {
        Result card = run("card", "--config", config("run.yaml", SMALL).toString(), "--json");
        assertThat(card.code()).isZero();
        assertThat(card.out()).contains("\"regime\" : \"theta-lazy\"", "\"kappaExponent\" : 0.5");
        Result list = run("architectures");
        assertThat(list.out()).contains("fcn", "theta-lazy", "leaky-relu", "orthogonal");
    }
}
