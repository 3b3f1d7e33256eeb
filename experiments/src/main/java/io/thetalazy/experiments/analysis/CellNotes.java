package io.thetalazy.experiments.analysis;

import io.thetalazy.experiments.config.Cell;
import io.thetalazy.experiments.sweep.SlopeFit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What an analysis that reads cells one by one keeps beside its numbers: the cells it skipped (pending, failed) by
 * reason, and the cells it could not analyse with the reason, so a bad cell is a line of the section, never an error
 * of the report.
 */
final class CellNotes {
    private final Map<String, Integer> skipped = new LinkedHashMap<>();
    private final List<String> problems = new ArrayList<>();
    private int analysed;

    void skip(String reason) {
        skipped.merge(reason, 1, Integer::sum);
    }

    void problem(Cell cell, String reason) {
        problems.add("cell %s (%s): %s".formatted(cell.id(), cell.axes(), reason));
    }

    void analysed() {
        analysed++;
    }

    int analysedCount() {
        return analysed;
    }

    int skippedCount() {
        return skipped.values().stream().mapToInt(Integer::intValue).sum();
    }

    List<String> problems() {
        return List.copyOf(problems);
    }

    /** {@code 6 cells analysed; skipped: 1 pending, 1 failed.} and a list of the cells not analysed, with why. */
    String markdown() {
        StringBuilder md = new StringBuilder("%d cell%s analysed".formatted(analysed, analysed == 1 ? "" : "s"));
        if (!skipped.isEmpty()) {
            List<String> parts = new ArrayList<>();
            skipped.forEach((reason, count) -> parts.add(count + " " + reason));
            md.append("; skipped (no result): ").append(String.join(", ", parts));
        }
        md.append(".\n");
        if (!problems.isEmpty()) {
            md.append("\nNot analysed:\n\n");
            problems.forEach(p -> md.append("- ").append(p.replace("\n", " ").replace("|", "\\|")).append('\n'));
        }
        return md.append('\n').toString();
    }

    /**
     * The log-log slope of {@code values} against {@code widths} over the points that are {@code usable} and positive
     * and finite, as a {@link WidthScaling.Fit} (empty below two distinct widths); the rest are counted as left out.
     */
    static WidthScaling.Fit fit(String observable, double[] widths, double[] values, boolean[] usable) {
        List<Double> xs = new ArrayList<>();
        List<Double> ys = new ArrayList<>();
        for (int i = 0; i < widths.length; i++) {
            if (usable[i] && values[i] > 0 && Double.isFinite(values[i]) && widths[i] > 0) {
                xs.add(widths[i]);
                ys.add(values[i]);
            }
        }
        int leftOut = widths.length - xs.size();
        if (xs.stream().distinct().count() < 2) {
            return new WidthScaling.Fit(observable, Optional.empty(), xs.size(), leftOut);
        }
        SlopeFit fit = SlopeFit.logLog(xs.stream().mapToDouble(Double::doubleValue).toArray(),
                ys.stream().mapToDouble(Double::doubleValue).toArray());
        return new WidthScaling.Fit(observable, Optional.of(fit), xs.size(), leftOut);
    }

    /**
     * Draws a figure: whether the file was written; when drawing fails the section says so in {@code md} and the report
     * goes on without the figure.
     */
    static boolean drawn(StringBuilder md, String file, java.util.function.BooleanSupplier draw) {
        try {
            return draw.getAsBoolean();
        } catch (RuntimeException e) {
            md.append("Figure %s not drawn: %s.\n\n".formatted(file, CellInputs.reason(e)));
            return false;
        }
    }

    /** {@code 64: 0.12, 128: 0.081} the mean of the finite values at each width, widths ascending. */
    static String byWidth(double[] widths, double[] values) {
        Map<Double, double[]> sums = new java.util.TreeMap<>();
        for (int i = 0; i < widths.length; i++) {
            if (Double.isFinite(values[i])) {
                double[] sum = sums.computeIfAbsent(widths[i], w -> new double[2]);
                sum[0] += values[i];
                sum[1]++;
            }
        }
        List<String> parts = new ArrayList<>();
        sums.forEach((width, sum) -> parts.add("%d: %.3g".formatted(Math.round(width), sum[0] / sum[1])));
        return parts.isEmpty() ? "none" : String.join(", ", parts);
    }
}
