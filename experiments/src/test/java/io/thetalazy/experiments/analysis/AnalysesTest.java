package io.thetalazy.experiments.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.node.IntNode;
import io.thetalazy.experiments.config.AnalysisSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The analyses' fits on synthetic inputs with known answers, and the checks of their names and settings. */
final class AnalysesTest {
    @Test
    void aLinearSlopeCrossesZeroAtItsRootWithTheErrorOfTheDeltaMethod() {
        // S(x) = 1 - x measured at 0.6, 0.8, ..., 1.4 with se 0.02: the crossing is at 1
        List<CriticalPoint.Point> points = new ArrayList<>();
        for (double x = 0.6; x < 1.45; x += 0.2) {
            points.add(new CriticalPoint.Point(x, 1 - x, 0.02));
        }
        CriticalPoint.Crossing crossing = CriticalPoint.crossing(points).orElseThrow();
        assertThat(crossing.at()).isCloseTo(1.0, within(1e-12));
        assertThat(crossing.points()).isEqualTo(4);   // the bracket (0.8, 1.0) or (1.0, 1.2) and a neighbour each side
        // four points, equal weights 1/se^2: var(x*) = var(a + b x*) / b^2 = se^2 / n at the points' mean
        double mean = crossing.at();
        double expected = 0.02 / Math.sqrt(4);
        assertThat(crossing.standardError()).isGreaterThan(0).isLessThan(3 * expected);
        // a constant offset moves the root by it; no sign change, no crossing
        List<CriticalPoint.Point> shifted = points.stream()
                .map(p -> new CriticalPoint.Point(p.x(), 1.15 - p.x(), p.standardError())).toList();
        assertThat(CriticalPoint.crossing(shifted).orElseThrow().at()).isCloseTo(1.15, within(1e-12));
        List<CriticalPoint.Point> negative = points.stream()
                .map(p -> new CriticalPoint.Point(p.x(), -1 - p.x(), p.standardError())).toList();
        assertThat(CriticalPoint.crossing(negative)).isEmpty();
        assertThat(mean).isFinite();
    }

    @Test
    void anExponentialLossGivesItsRateOverTheSecondHalfOfItsDecay() {
        // a fast transient mode on top of the slow one: loss = e^{-2t} + e^{-10 t}; the tail rate is 2
        int n = 200;
        double[] time = new double[n];
        double[] loss = new double[n];
        for (int i = 0; i < n; i++) {
            time[i] = i * 0.05;
            loss[i] = Math.exp(-2 * time[i]) + Math.exp(-10 * time[i]);
        }
        LossDecay.Fit fit = LossDecay.rate(time, loss);
        assertThat(fit.rate()).isCloseTo(2.0, within(1e-3));
        assertThat(fit.points()).isGreaterThan(50);
        assertThat(LossDecay.rate(new double[] {0}, new double[] {1}).rate()).isNaN();
        assertThat(LossDecay.rate(new double[] {0, 1, 2}, new double[] {1, 1, 1}).rate()).isNaN();
    }

    @Test
    void unknownAnalysesAndSettingsAreNamedWithTheClosestValidOne() {
        assertThatThrownBy(() -> Analyses.check(AnalysisSpec.of("loss-decays"), "exp.yaml: analyses[0]"))
                .hasMessageContaining("exp.yaml: analyses[0]: unknown analysis 'loss-decays'")
                .hasMessageContaining("loss-decay");
        assertThatThrownBy(() -> Analyses.check(new AnalysisSpec("critical-point", Map.of("axes", IntNode.valueOf(1))),
                "exp.yaml: analyses[1]")).hasMessageContaining("analysis 'critical-point' takes no setting 'axes'")
                .hasMessageContaining("axis");
        assertThat(Analyses.kinds()).containsKeys("rd-vs-width", "critical-point", "loss-decay", "kernel-drift");
    }
}
