package io.thetalazy.experiments.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.thetalazy.experiments.config.Cell;
import io.thetalazy.experiments.config.CellIds;
import io.thetalazy.experiments.config.Experiment;
import io.thetalazy.experiments.config.Named;
import io.thetalazy.experiments.config.RunConfig;
import io.thetalazy.experiments.config.Where;
import io.thetalazy.experiments.sweep.CellResult;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Slopes, groups and claim verdicts on synthetic cells with known answers. */
final class WidthScalingTest {
    private static final List<Integer> WIDTHS = List.of(64, 128, 256, 512);

    private static Cell cell(double gamma, int width, long seed) {
        Map<String, Object> rule = new LinkedHashMap<>();
        rule.put("gamma", gamma);
        RunConfig config = RunConfig.defaults().withWidth(width).withSeed(seed).withRule(new Named("theta-lazy", rule));
        Map<String, String> axes = new LinkedHashMap<>();
        axes.put("rule.gamma", String.valueOf(gamma));
        axes.put("width", String.valueOf(width));
        axes.put("seed", String.valueOf(seed));
        return new Cell(CellIds.of(config), axes, config);
    }

    /** RD_l = c_l m^slope_l times a seed's factor; status as given. */
    private static CellResult result(String status, int width, double factor, double... slopes) {
        List<Double> layers = new java.util.ArrayList<>();
        for (double slope : slopes) {
            layers.add(factor * Math.pow(width, slope));
        }
        return new CellResult(status, 100, 1e-7, factor * Math.pow(width, -1.0), layers, 1, 1, 0, 1, "");
    }

    private static Experiment experiment(List<Experiment.Claim> claims) {
        return new Experiment("synthetic", "", null, List.of("rule.gamma", "width", "seed"),
                Map.of("rule.gamma", "q"), List.of(), List.of("rd-vs-width"), claims, List.of(), JsonNodeFactory.instance.objectNode());
    }

    @Test
    void aPowerLawGivesItsExponentAndSeedsPoolIntoOneGroup() {
        Map<Cell, CellResult> results = new LinkedHashMap<>();
        for (int width : WIDTHS) {
            for (long seed = 0; seed < 2; seed++) {
                results.put(cell(0.5, width, seed), result("converged", width, seed == 0 ? 1 : 2, -0.5, -1, 0));
                results.put(cell(0.0, width, seed), result("converged", width, 1, 0, -0.5, 0.3));
            }
        }
        List<WidthScaling.Group> groups = WidthScaling.groups(experiment(List.of()), results);
        assertThat(groups).extracting(WidthScaling.Group::label).containsExactly("q=0.5", "q=0.0");
        WidthScaling.Fit input = WidthScaling.fit(groups.get(0), "rd-1");
        assertThat(input.used()).isEqualTo(8);
        assertThat(input.fit().orElseThrow().slope()).isCloseTo(-0.5, within(1e-12));
        // two seeds a factor 2 apart: the scatter about the line gives a known standard error
        double residual = Math.log(2) / 2;
        double sxx = 2 * WIDTHS.stream().mapToDouble(w -> Math.pow(Math.log(w) - Math.log(Math.sqrt(64 * 512)), 2))
                .sum();
        assertThat(input.fit().orElseThrow().standardError())
                .isCloseTo(Math.sqrt(8 * residual * residual / 6 / sxx), within(1e-12));
        assertThat(input.regime()).isEqualTo("linear");
        assertThat(WidthScaling.fit(groups.get(1), "rd-1").regime()).isEqualTo("critical");
        assertThat(WidthScaling.fit(groups.get(1), "rd-3").regime()).isEqualTo("condensed");
        assertThat(WidthScaling.fit(groups.get(1), "rd-max").fit().orElseThrow().slope()).isCloseTo(0.3, within(1e-12));
        assertThat(WidthScaling.fit(groups.get(0), "rd").fit().orElseThrow().slope()).isCloseTo(-1, within(1e-12));
    }

    @Test
    void cellsThatDidNotConvergeAreLeftOutAndCounted() {
        Map<Cell, CellResult> results = new LinkedHashMap<>();
        for (int width : WIDTHS) {
            String status = width == 512 ? "step-budget" : "converged";
            results.put(cell(0.5, width, 0), result(status, width, 1, width == 512 ? 5 : -0.5, -1, 0));
        }
        results.put(cell(0.25, 64, 0), result("converged", 64, 1, -0.5, -1, 0));
        results.put(cell(0.25, 128, 0), CellResult.failed("boom", 1));
        List<WidthScaling.Group> groups = WidthScaling.groups(experiment(List.of()), results);
        WidthScaling.Fit fit = WidthScaling.fit(groups.get(0), "rd-1");
        assertThat(fit.used()).isEqualTo(3);
        assertThat(fit.leftOut()).isEqualTo(1);
        assertThat(fit.fit().orElseThrow().slope()).isCloseTo(-0.5, within(1e-12));
        WidthScaling.Fit none = WidthScaling.fit(groups.get(1), "rd-1");
        assertThat(none.fit()).isEmpty();
        assertThat(none.text()).isEqualTo("no fit (1 usable cell)");
        assertThat(WidthScaling.text(groups.get(0))).contains("(1 of 4 cells did not converge");
    }

    @Test
    void aClaimHoldsWhereEverySelectedGroupReadsTheExpectedRegime() {
        Map<Cell, CellResult> results = new LinkedHashMap<>();
        for (int width : WIDTHS) {
            results.put(cell(0.5, width, 0), result("converged", width, 1, -0.5, -1, 0));
            results.put(cell(0.25, width, 0), result("converged", width, 1, -0.25, -1, 0));
            results.put(cell(0.0, width, 0), result("converged", width, 1, 0.2, -1, 0));
        }
        Experiment.Claim lazy = new Experiment.Claim("lazy above zero", Where.parse("rule.gamma > 0", "test"), "rd-1",
                "linear");
        Experiment.Claim everywhere = new Experiment.Claim("lazy everywhere", null, "rd-1", "linear");
        List<WidthScaling.Group> groups = WidthScaling.groups(experiment(List.of(lazy, everywhere)), results);
        ClaimChecks.Check holds = ClaimChecks.check(lazy, groups);
        assertThat(holds.rows()).extracting(r -> r.group().label()).containsExactly("q=0.5", "q=0.25");
        assertThat(holds.verdict()).isEqualTo("holds");
        ClaimChecks.Check fails = ClaimChecks.check(everywhere, groups);
        assertThat(fails.verdict()).isEqualTo("fails");
        assertThat(fails.summary()).isEqualTo("fails (holds in 2 of 3 groups)");
    }
}
