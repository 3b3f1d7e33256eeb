package io.thetalazy.experiments.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thetalazy.core.error.FrameworkException;
import io.thetalazy.experiments.config.ExperimentFiles.Overrides;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class ExperimentFilesTest {
    private static final String BASE = """
            base:
              depth: 1
              rule: theta-lazy
              data: {name: sphere, n: 4, dimension: 3}
              training: {learningRate: 0.5, maxSteps: 10}
            """;

    @TempDir
    Path folder;

    private Experiment parse(String text) {
        return ExperimentFiles.parse(text, "exp.yaml", folder, Overrides.NONE);
    }

    @Test
    void cellsAreTheProductOfTheAxesFirstSlowestThroughDottedPaths() {
        Experiment experiment = parse(BASE + """
                axes:
                  width: [8, 16]
                  rule.gamma: [0.5, 0.0]
                """);
        assertThat(experiment.cells()).extracting(c -> c.config().width()).containsExactly(8, 8, 16, 16);
        assertThat(experiment.cells()).extracting(c -> c.config().rule())
                .containsExactly(new Named("theta-lazy", Map.of("gamma", 0.5)), new Named("theta-lazy", Map.of("gamma", 0.0)),
                        new Named("theta-lazy", Map.of("gamma", 0.5)), new Named("theta-lazy", Map.of("gamma", 0.0)));
        Cell first = experiment.cells().get(0);
        assertThat(first.axes()).containsExactly(Map.entry("width", "8"), Map.entry("rule.gamma", "0.5"));
        assertThat(first.config().depth()).isEqualTo(1);
        assertThat(first.config().training().maxSteps()).isEqualTo(10);
        assertThat(first.folderName(Map.of("rule.gamma", "q"))).isEqualTo("width-8_q-0.5_" + first.id());

        // a long name keeps whole axis values (never width-1 for width-16), then the id
        Map<String, String> many = new java.util.LinkedHashMap<>();
        for (int axis = 0; axis < 10; axis++) {
            many.put("axis" + axis + ".width", "16");
        }
        String name = new Cell(first.id(), many, first.config()).folderName(Map.of());
        assertThat(name).hasSizeLessThanOrEqualTo(80 + 1 + first.id().length()).endsWith("_" + first.id());
        assertThat(name.substring(0, name.length() - first.id().length() - 1).split("_"))
                .hasSizeGreaterThan(1).containsOnly("width-16");
    }

    @Test
    void zippedAxesVaryTogetherAndDottedPathsReachDefaultSections() {
        Experiment experiment = parse(BASE.replace("rule: theta-lazy", "rule: theta-lazy\n  activation: leaky-relu") + """
                axes:
                  width: [8, 16, 32]
                  seed: [1, 2, 3]
                  training.stepFraction: [0.25, 0.5]
                  activation.slope: [0.1]
                zip: [[width, seed]]
                """);
        assertThat(experiment.cells()).hasSize(6);
        assertThat(experiment.cells()).extracting(c -> c.config().width() + "/" + c.config().seed() + "/"
                + c.config().training().stepFraction()).containsExactly("8/1/0.25", "8/1/0.5", "16/2/0.25", "16/2/0.5",
                "32/3/0.25", "32/3/0.5");
        assertThat(experiment.cells().get(0).config().activation()).isEqualTo(new Named("leaky-relu", Map.of("slope", 0.1)));
    }

    @Test
    void whereKeepsOnlyTheCellsThatPass() {
        Experiment experiment = parse(BASE + """
                axes:
                  antisymmetric: [true, false]
                  rule.gamma: [0.25, 0.75]
                where: "antisymmetric == false or rule.gamma <= 0.5"
                """);
        assertThat(experiment.cells()).extracting(c -> c.config().antisymmetric() + "/" + c.config().rule().parameters()
                .get("gamma")).containsExactly("true/0.25", "false/0.25", "false/0.75");
        Experiment named = parse(BASE + """
                axes:
                  rule: [ntk, {name: theta-lazy, gamma: 0.5}]
                where: [rule != ntk]
                """);
        assertThat(named.cells()).extracting(c -> c.config().rule().name()).containsExactly("theta-lazy");
    }

    @Test
    void theSameConfigurationHasTheSameIdAndAnyChangeANewOne() {
        String id = parse(BASE + "axes: {rule: [{name: theta-lazy, gamma: 0.5, kappa0: 1}]}").cells().get(0).id();
        assertThat(parse(BASE + "axes: {rule: [{name: theta-lazy, kappa0: 1.0, gamma: 0.5}]}").cells().get(0).id())
                .isEqualTo(id);
        assertThat(parse(BASE.replace("depth: 1", "depth: 1\n  width: 256") + "axes: {rule.gamma: [0.5], rule.kappa0: [1]}")
                .cells().get(0).id()).as("the default width written out").isEqualTo(id);
        assertThat(id).matches("[0-9a-f]{12}");
        for (String changed : List.of("axes: {rule: [{name: theta-lazy, gamma: 0.5, kappa0: 2}]}",
                "axes: {rule: [{name: theta-lazy, gamma: 0.5, kappa0: 1}], width: [255]}",
                "axes: {rule: [{name: theta-lazy, gamma: 0.5, kappa0: 1}], training.maxSteps: [11]}",
                "axes: {rule: [{name: theta-lazy, gamma: 0.5, kappa0: 1}], seed: [1]}")) {
            assertThat(parse(BASE + changed).cells().get(0).id()).as(changed).isNotEqualTo(id);
        }
    }

    @Test
    void malformedFilesAreRefusedNamingTheKeyAndTheReason() {
        assertRefused(BASE + "axes:\n  widht: [8]\n", "exp.yaml line 7: unknown key 'widht' (did you mean 'width'?)");
        assertRefused(BASE + "axes:\n  width: [8, 8.5]\n", "exp.yaml line 7: 'width' must be an integer, found 8.5");
        assertRefused(BASE + "axes:\n  training.maxStep: [8]\n", "unknown key 'training.maxStep' (did you mean 'maxSteps'?)");
        assertRefused(BASE + "axes:\n  width: 8\n", "exp.yaml line 7: axis 'width' must be a non-empty list of values, found 8");
        assertRefused(BASE + "axis:\n  width: [8]\n", "exp.yaml line 6: unknown key 'axis' (did you mean 'axes'?)");
        assertRefused(BASE + "axes: {width: [8, 16], seed: [1]}\nzip: [[width, seed]]\n",
                "zipped axes vary together and need as many values each: 'width' has 2, 'seed' has 1");
        assertRefused(BASE + "axes: {width: [8]}\nzip: [[width, sead]]\n", "zip names 'sead', which is not an axis");
        assertRefused(BASE + "axes: {width: [8]}\nwhere: rule.gama > 0\n", "filter 'rule.gama > 0' reads 'rule.gama', "
                + "which no cell has");
        assertRefused(BASE + "axes: {width: [8]}\nwhere: width >> 0\n", "exp.yaml line 7: where: cannot read 'width >> 0'");
        assertRefused(BASE + "axes: {width: [8, 8.0]}\n", "give the same configuration");
        assertRefused(BASE + "axes: {width.x: [8]}\n", "axis 'width.x': 'width' is a value (256), not a section");
        assertRefused(BASE + "axes: {width: [8]}\nwhere: width > 8\n", "no cell passes the 'where' filters (1 cells");
        assertRefused(BASE + "axes: {width: [8]}\nclaims: [{text: falls, expect: lazy}]\n", "expect 'lazy'");
    }

    @Test
    void aBaseFileIsReadFromTheExperimentsFolderAndNamedInItsErrors() throws Exception {
        Files.writeString(folder.resolve("run.yaml"), "depth: 1\nwidht: 3\n");
        assertThatThrownBy(() -> parse("base: run.yaml\naxes: {width: [8]}\n")).isInstanceOf(FrameworkException.class)
                .hasMessageStartingWith(folder.resolve("run.yaml") + " line 2: unknown key 'widht'");
        Files.writeString(folder.resolve("run.yaml"), "depth: 1\n");
        assertThat(parse("base: run.yaml\naxes: {width: [8]}\n").cells().get(0).config().depth()).isEqualTo(1);
    }

    @Test
    void overridesReplaceAxesAndBaseSettings() {
        Experiment experiment = ExperimentFiles.parse(BASE + "axes: {width: [8, 16]}\n", "exp.yaml", folder,
                new Overrides(Map.of("width", List.of(4)), Map.of("depth", 2, "training.maxSteps", 3)));
        assertThat(experiment.cells()).extracting(c -> c.config().width() + "/" + c.config().depth() + "/"
                + c.config().training().maxSteps()).containsExactly("4/2/3");
        assertThatThrownBy(() -> ExperimentFiles.parse(BASE + "axes: {width: [8]}\n", "exp.yaml", folder,
                new Overrides(Map.of("seed", List.of(1)), Map.of()))).hasMessageContaining("has no axis 'seed'");
    }

    @Test
    void theResolvedExperimentReadsBackWithEveryCell() throws Exception {
        Experiment experiment = parse(BASE + """
                labels: {rule.gamma: q}
                axes: {width: [8, 16], rule.gamma: [0.5, 0.0]}
                claims: [{text: RD_1 falls, where: rule.gamma > 0, expect: linear}]
                """);
        Path file = folder.resolve("experiment.yaml");
        Files.writeString(file, ExperimentFiles.resolvedYaml(experiment));
        Experiment back = ExperimentFiles.readResolved(file);
        assertThat(back.cells()).isEqualTo(experiment.cells());
        assertThat(back.labels()).isEqualTo(experiment.labels());
        assertThat(back.claims()).hasSize(1);
        assertThat(back.report()).containsExactly("rd-vs-width");
        assertThat(back.analyses()).extracting(AnalysisSpec::name).containsExactly("rd-vs-width");
        Files.writeString(file, Files.readString(file).replaceFirst("width: 8\n    depth", "width: 9\n    depth"));
        assertThatThrownBy(() -> ExperimentFiles.readResolved(file)).hasMessageContaining("does not hash to its id");
    }

    private void assertRefused(String text, String message) {
        assertThatThrownBy(() -> parse(text)).as(text).isInstanceOf(FrameworkException.class)
                .hasMessageContaining(message);
    }
}
