package io.thetalazy.experiments.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.thetalazy.experiments.config.Experiment;
import io.thetalazy.experiments.config.ExperimentFiles;
import io.thetalazy.experiments.config.ExperimentFiles.Overrides;
import io.thetalazy.experiments.sweep.CellResult;
import io.thetalazy.experiments.sweep.ExperimentRunner;
import io.thetalazy.experiments.sweep.LocalExecutor;
import io.thetalazy.experiments.sweep.ResultStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The analyses over cells trained by the runner, and their sections and files in the report. */
final class AnalysesRunTest {
    static final String EXPERIMENT = """
            name: analyses
            base:
              depth: 1
              activation: relu
              antisymmetric: true
              data: lxmz
              rule: {name: theta-lazy, gamma: 0.5}
              training: {learningRate: adaptive, stepFraction: 0.5, adaptiveEvery: 10, maxSteps: 4000,
                         lossTolerance: 1.0e-4, recordEvery: 200}
            axes:
              rule.gamma: [0.5, -0.25]
              width: [128, 512, 2048]
            labels: {rule.gamma: q}
            analyses: [activation-patterns, condensation, kernel-convergence, {name: generalization, heldOut: 16}]
            """;

    @TempDir
    Path folder;

    /** Rows of a CSV file as maps from its header. */
    private static List<Map<String, String>> rows(Path file) throws Exception {
        List<String> lines = Files.readAllLines(file);
        List<String> header = Arrays.asList(lines.get(0).split(","));
        return lines.stream().skip(1).map(line -> {
            String[] cells = line.split(",", -1);
            return java.util.stream.IntStream.range(0, header.size()).boxed()
                    .collect(Collectors.toMap(header::get, i -> cells[i], (a, b) -> a, java.util.LinkedHashMap::new));
        }).collect(Collectors.toList());
    }

    @Test
    void everyAnalysisWritesItsSectionAndFilesFromARealRun() throws Exception {
        Experiment experiment = ExperimentFiles.parse(EXPERIMENT, "analyses.yaml", folder, Overrides.NONE);
        Path out = folder.resolve("out");
        ResultStore store = new ResultStore(out, experiment);
        ExperimentRunner.Outcome outcome = ExperimentRunner.run(store, new LocalExecutor(Synthetic.REGISTRY, 1),
                folder, false, List.of("test"), ExperimentRunner.Listener.NONE);
        assertThat(outcome.results().values()).extracting(CellResult::status).containsOnly("converged");
        ExperimentReport.write(store, outcome.results(), Synthetic.REGISTRY);
        String report = Files.readString(out.resolve(ExperimentReport.MARKDOWN));
        assertThat(report).contains("## Activation patterns", "## Condensation", "## Kernel convergence",
                "## Generalization against kappa", "6 cells analysed", "Held-out data (lxmz): 16 midpoints")
                .doesNotContain("Not analysed");
        for (String file : List.of(ActivationPatterns.CELLS, ActivationPatterns.SLOPES, ActivationPatterns.FIGURE,
                Condensation.TABLE, KernelConvergence.CELLS, KernelConvergence.SLOPES, KernelConvergence.FIGURE,
                Generalization.CELLS, Generalization.FIGURE, Generalization.GAP_FIGURE)) {
            assertThat(out.resolve(file)).exists();
        }
        assertThat(Files.readString(out.resolve(ExperimentReport.HTML))).contains("data:image/png;base64,");

        // the lazy group keeps more patterns as m grows, the condensed one loses more
        List<Map<String, String>> patterns = rows(out.resolve(ActivationPatterns.SLOPES));
        assertThat(patterns).extracting(r -> r.get("group")).containsExactly("q=0.5", "q=-0.25");
        assertThat(Double.parseDouble(patterns.get(0).get("slope"))).isNegative();
        assertThat(Double.parseDouble(patterns.get(1).get("slope"))).isPositive();
        // the condensed network's amplitude gathers on a few neurons
        List<Map<String, String>> condensation = rows(out.resolve(Condensation.TABLE));
        assertThat(condensation).extracting(r -> r.get("width")).containsOnly("128");
        assertThat(Double.parseDouble(condensation.get(0).get("topShareFinal"))).isLessThan(0.4);
        assertThat(Double.parseDouble(condensation.get(1).get("topShareFinal"))).isGreaterThan(0.6);
        for (String file : List.of("scatter", "function")) {
            assertThat(out.resolve(condensation.get(1).get(file))).exists();
        }
        // G^[l] approaches K^[l] at initialization
        for (Map<String, String> row : rows(out.resolve(KernelConvergence.SLOPES))) {
            assertThat(Double.parseDouble(row.get("slope"))).as(row.toString()).isNegative();
        }
        // one kernel regression (equal mobilities: it does not depend on kappa); the lazy network follows its
        // linearized model more closely than the condensed one at the largest width
        List<Map<String, String>> errors = rows(out.resolve(Generalization.CELLS));
        assertThat(errors).hasSize(6);
        double kernel = Double.parseDouble(errors.get(0).get("mseKernel"));
        assertThat(errors).allSatisfy(r -> assertThat(Double.parseDouble(r.get("mseKernel")))
                .isCloseTo(kernel, within(1e-9 * kernel)));
        assertThat(errors).allSatisfy(r -> assertThat(Double.parseDouble(r.get("mseNetwork"))).isBetween(0.0, 0.01));
        Map<String, Double> gaps = errors.stream().filter(r -> r.get("width").equals("2048")).collect(
                Collectors.toMap(r -> r.get("regime"), r -> Double.parseDouble(r.get("gapLinearized"))));
        assertThat(gaps.get("theta-lazy")).isLessThan(gaps.get("condensed"));
    }
}
