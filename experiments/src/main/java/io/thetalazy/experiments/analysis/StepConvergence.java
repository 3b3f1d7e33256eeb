package io.thetalazy.experiments.analysis;

import io.thetalazy.experiments.config.AnalysisSpec;
import io.thetalazy.experiments.config.Cell;
import io.thetalazy.kernels.io.AtomicFiles;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The step-convergence check beside each fit: groups that differ only in the step fraction c (an axis, by default
 * training.stepFraction) are compared pairwise, the smallest c against each larger one. A slope is converged in c
 * when halving c moves it by at most twice the combined standard error, |S_c - S_c'| <= 2 sqrt(se^2 + se'^2);
 * otherwise the slope depends on the discretization, not only on the network (the condensed regime's slope does).
 */
final class StepConvergence implements Analysis {
    static final Set<String> KEYS = Set.of("axis", "observable");
    static final String FILE = "step-convergence.csv";

    private final String axis;
    private final String observable;

    StepConvergence(AnalysisSpec spec) {
        this.axis = spec.text("axis", "training.stepFraction");
        this.observable = spec.text("observable", "rd-1");
    }

    @Override
    public Section run(Context context) {
        Map<Map<String, String>, Map<Double, WidthScaling.Fit>> families = new LinkedHashMap<>();
        Map<Map<String, String>, String> labels = new LinkedHashMap<>();
        for (WidthScaling.Group group : context.widthGroups()) {
            String value = group.fixed().get(axis);
            if (value == null) {
                continue;
            }
            Map<String, String> key = new LinkedHashMap<>(group.fixed());
            key.remove(axis);
            labels.put(key, Cell.describe(key, context.experiment().labels()));
            families.computeIfAbsent(key, k -> new LinkedHashMap<>()).put(Double.parseDouble(value),
                    WidthScaling.fit(group, observable));
        }
        String c = Cell.label(axis, context.experiment().labels());
        StringBuilder md = new StringBuilder("The slope of %s against width at the smallest %s beside its slope at each "
                .formatted(observable, c) + "larger one: converged when they differ by at most twice the combined "
                + "standard error.\n\n| group | %s | slope | %s | slope | difference | verdict |\n".formatted(c, c)
                + "|---|---|---|---|---|---|---|\n");
        StringBuilder csv = new StringBuilder("group,smallest,slope,standardError,other,otherSlope,otherStandardError,"
                + "difference,verdict\n");
        int rows = 0;
        for (Map.Entry<Map<String, String>, Map<Double, WidthScaling.Fit>> family : families.entrySet()) {
            double smallest = family.getValue().keySet().stream().mapToDouble(Double::doubleValue).min().orElseThrow();
            WidthScaling.Fit reference = family.getValue().get(smallest);
            for (Map.Entry<Double, WidthScaling.Fit> other : family.getValue().entrySet()) {
                if (other.getKey() == smallest) {
                    continue;
                }
                rows++;
                String verdict = verdict(reference, other.getValue());
                double difference = reference.fit().isPresent() && other.getValue().fit().isPresent()
                        ? other.getValue().fit().get().slope() - reference.fit().get().slope() : Double.NaN;
                md.append("| %s | %s | %s | %s | %s | %s | %s |%n".formatted(labels.get(family.getKey()),
                        Tables.number(smallest), reference.text(), Tables.number(other.getKey()),
                        other.getValue().text(), Double.isFinite(difference) ? "%+.3f".formatted(difference) : "",
                        verdict));
                csv.append("%s,%s,%s,%s,%s,%s,%s,%s,%s%n".formatted(Tables.csvField(labels.get(family.getKey())),
                        Tables.number(smallest), slope(reference), error(reference), Tables.number(other.getKey()),
                        slope(other.getValue()), error(other.getValue()), Tables.number(difference), verdict));
            }
        }
        if (rows == 0) {
            md.append("\nNo group has a twin at another %s: add it as an axis (for example %s: [0.1, 0.05]).\n"
                    .formatted(c, axis));
        }
        AtomicFiles.writeString(context.folder().resolve(FILE), csv.toString());
        md.append("\nAll pairs: ").append(FILE).append(".\n");
        return new Section("Step convergence in " + c, md.toString(), List.of(FILE));
    }

    /** converged, not converged, or undecided when a slope is missing. */
    static String verdict(WidthScaling.Fit a, WidthScaling.Fit b) {
        if (a.fit().isEmpty() || b.fit().isEmpty()) {
            return "undecided";
        }
        double seA = Double.isFinite(a.fit().get().standardError()) ? a.fit().get().standardError() : 0;
        double seB = Double.isFinite(b.fit().get().standardError()) ? b.fit().get().standardError() : 0;
        double difference = Math.abs(a.fit().get().slope() - b.fit().get().slope());
        return difference <= 2 * Math.sqrt(seA * seA + seB * seB) ? "converged" : "not converged";
    }

    private static String slope(WidthScaling.Fit fit) {
        return fit.fit().map(f -> Tables.number(f.slope())).orElse("");
    }

    private static String error(WidthScaling.Fit fit) {
        return fit.fit().map(f -> Tables.number(f.standardError())).orElse("");
    }
}
