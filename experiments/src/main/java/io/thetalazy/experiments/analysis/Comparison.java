package io.thetalazy.experiments.analysis;

import io.thetalazy.experiments.report.Plots;
import io.thetalazy.experiments.sweep.SlopeFit;
import io.thetalazy.kernels.io.AtomicFiles;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One table comparing the groups (an architecture at a q, say) on what the other analyses measured: the slopes of
 * max_l RD_l and of the pooled RD against width with their errors and regime, and, at each group's largest width, the
 * decay rate over its prediction r / r_inf, the kernel drift's slope, the largest fraction of changed activation
 * patterns and the held-out gap between the network and its kernel predictor. It reads the files of the analyses
 * listed before it in the same experiment (loss-decay.csv, kernel-drift.csv, activation-patterns.csv,
 * generalization.csv); a column whose analysis did not run stays empty.
 */
final class Comparison implements Analysis {
    static final String FILE = "comparison.csv";

    @Override
    public Section run(Context context) {
        List<Map<String, String>> decay = Tables.readCsv(context.folder().resolve(LossDecay.FILE));
        List<Map<String, String>> drift = Tables.readCsv(context.folder().resolve(KernelDrift.FILE));
        List<Map<String, String>> patterns = Tables.readCsv(context.folder().resolve(ActivationPatterns.CELLS));
        List<Map<String, String>> held = Tables.readCsv(context.folder().resolve(Generalization.CELLS));
        StringBuilder md = new StringBuilder("Per group of cells differing only in width and seed: the slopes against ")
                .append("width (converged cells), and at the group's largest width the mean over its cells of r / ")
                .append("r_inf (loss-decay), the largest fraction of units whose activation pattern changed ")
                .append("(activation-patterns) and the held-out gap rms(f_network - f_kernel) / rms(y) ")
                .append("(generalization).\n\n| group | slope max RD_l | slope RD | regime | r / r_inf | slope drift | ")
                .append("patterns changed | held-out gap |\n|---|---|---|---|---|---|---|---|\n");
        StringBuilder csv = new StringBuilder("group,slopeRdMax,standardErrorRdMax,slopeRd,standardErrorRd,regime,"
                + "largestWidth,rateOverRInf,slopeDrift,patternsChanged,heldOutGap\n");
        List<String> categories = new ArrayList<>();
        List<double[]> maxSlopes = new ArrayList<>();
        List<double[]> pooledSlopes = new ArrayList<>();
        for (WidthScaling.Group group : context.widthGroups()) {
            WidthScaling.Fit max = WidthScaling.fit(group, "rd-max");
            WidthScaling.Fit pooled = WidthScaling.fit(group, "rd");
            int largest = group.members().stream().mapToInt(m -> m.cell().config().width()).max().orElse(0);
            Map<String, Integer> widthOf = new HashMap<>();
            group.members().forEach(m -> widthOf.put(m.cell().id(), m.cell().config().width()));
            double rate = mean(decay, "id", widthOf, largest, "fittedOverRInf");
            double changed = max(patterns, "cell", widthOf, largest, "fraction");
            double gap = mean(held, "cell", widthOf, largest, "gap");
            Optional<SlopeFit> driftFit = driftSlope(drift, widthOf);
            md.append("| %s | %s | %s | %s | %s | %s | %s | %s |%n".formatted(group.label(), max.text(), pooled.text(),
                    max.regime(), format(rate), driftFit.map(f -> "%+.3f".formatted(f.slope())).orElse(""),
                    format(changed), format(gap)));
            csv.append("%s,%s,%s,%s,%s,%s,%d,%s,%s,%s,%s%n".formatted(Tables.csvField(group.label()),
                    number(max, true), number(max, false), number(pooled, true), number(pooled, false), max.regime(),
                    largest, Tables.number(rate), driftFit.map(f -> Tables.number(f.slope())).orElse(""),
                    Tables.number(changed), Tables.number(gap)));
            categories.add(group.label());
            maxSlopes.add(new double[] {slope(max), error(max)});
            pooledSlopes.add(new double[] {slope(pooled), error(pooled)});
        }
        AtomicFiles.writeString(context.folder().resolve(FILE), csv.toString());
        List<String> files = new ArrayList<>(List.of(FILE));
        String figure = "comparison.png";
        Tables.delete(context.folder().resolve(figure));
        if (!categories.isEmpty()) {
            Plots.bars(context.folder().resolve(figure), "slopes against width per group", "slope",
                    categories, Map.of("max_l RD_l", maxSlopes, "pooled RD", pooledSlopes));
            md.append("\n![slopes per group](%s)\n".formatted(figure));
            files.add(figure);
        }
        md.append("\nAll rows: ").append(FILE).append(".\n");
        return new Section("Comparison", md.toString(), files);
    }

    private static double slope(WidthScaling.Fit fit) {
        return fit.fit().map(SlopeFit::slope).orElse(Double.NaN);
    }

    private static double error(WidthScaling.Fit fit) {
        return fit.fit().map(SlopeFit::standardError).orElse(Double.NaN);
    }

    private static String number(WidthScaling.Fit fit, boolean slope) {
        return fit.fit().map(f -> Tables.number(slope ? f.slope() : f.standardError())).orElse("");
    }

    private static String format(double value) {
        return Double.isFinite(value) ? "%.3g".formatted(value) : "";
    }

    /** The mean of a column over the rows of the group's cells at {@code width}. */
    private static double mean(List<Map<String, String>> rows, String idColumn, Map<String, Integer> widthOf,
            int width, String column) {
        return rows.stream().filter(r -> Integer.valueOf(width).equals(widthOf.get(r.get(idColumn))))
                .mapToDouble(r -> Tables.parse(r.get(column))).filter(Double::isFinite).average().orElse(Double.NaN);
    }

    private static double max(List<Map<String, String>> rows, String idColumn, Map<String, Integer> widthOf,
            int width, String column) {
        return rows.stream().filter(r -> Integer.valueOf(width).equals(widthOf.get(r.get(idColumn))))
                .mapToDouble(r -> Tables.parse(r.get(column))).filter(Double::isFinite).max().orElse(Double.NaN);
    }

    /** The log-log slope of the converged cells' final drift against width. */
    private static Optional<SlopeFit> driftSlope(List<Map<String, String>> rows, Map<String, Integer> widthOf) {
        List<Double> widths = new ArrayList<>();
        List<Double> drifts = new ArrayList<>();
        for (Map<String, String> row : rows) {
            Integer width = widthOf.get(row.get("id"));
            double drift = Tables.parse(row.get("drift"));
            if (width != null && row.get("status").equals("converged") && drift > 0) {
                widths.add((double) width);
                drifts.add(drift);
            }
        }
        return KernelDrift.fit(widths, drifts);
    }
}
