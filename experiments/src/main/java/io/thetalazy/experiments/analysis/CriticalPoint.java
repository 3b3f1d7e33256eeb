package io.thetalazy.experiments.analysis;

import io.thetalazy.experiments.config.AnalysisSpec;
import io.thetalazy.experiments.config.Cell;
import io.thetalazy.experiments.report.Plots;
import io.thetalazy.kernels.io.AtomicFiles;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The critical point along an axis: in each line of groups that differ only in that axis (say rule.gamma at a fixed
 * rule.gammaPrime), the slope S of an observable against width as a function of the axis value, and where S crosses
 * zero, with its standard error. Across a second axis the crossings form the critical line, drawn against a theory
 * line when one is named; with exactly one other axis the slopes are shown as a heat map.
 *
 * <p>The crossing is the root of the weighted least-squares line S = a + b x through the two points bracketing the
 * first sign change and one neighbour on each side where there is one (weights 1/se^2), its error from the
 * covariance of (a, b) by the delta method.
 */
final class CriticalPoint implements Analysis {
    static final Set<String> KEYS = Set.of("axis", "observable", "theory", "across");
    static final String FILE = "critical-points.csv";
    /** The theory lines there are: LXMZ's two-layer boundary gamma = 1 + max(0, gamma'). */
    static final Map<String, String> THEORIES = Map.of("lxmz", "gamma = 1 + max(0, gamma')");

    private final String axis;
    private final String observable;
    private final String theory;
    private final String across;

    CriticalPoint(AnalysisSpec spec) {
        this.axis = spec.text("axis", "rule.gamma");
        this.observable = spec.text("observable", "rd-1");
        this.theory = spec.text("theory", "");
        this.across = spec.text("across", null);
        if (!theory.isEmpty() && !THEORIES.containsKey(theory)) {
            throw new io.thetalazy.core.error.FrameworkException(io.thetalazy.core.error.ErrorCode.INVALID_CONFIG,
                    "critical-point theory '%s' is not known; theories: %s".formatted(theory, THEORIES));
        }
        if (!observable.matches("rd|rd-max|rd-[1-9][0-9]*")) {
            throw new io.thetalazy.core.error.FrameworkException(io.thetalazy.core.error.ErrorCode.INVALID_CONFIG,
                    "critical-point observable '%s' must be rd, rd-max or rd-<layer>".formatted(observable));
        }
    }

    /** A crossing of zero: where, its standard error, and the points it was fitted on. */
    record Crossing(double at, double standardError, int points) {}

    /** One point of a line: the axis value, the slope and its error. */
    record Point(double x, double slope, double standardError) {}

    @Override
    public Section run(Context context) {
        Map<Map<String, String>, List<Point>> lines = new LinkedHashMap<>();
        Map<Map<String, String>, String> labels = new LinkedHashMap<>();
        for (WidthScaling.Group group : context.widthGroups()) {
            String value = group.fixed().get(axis);
            WidthScaling.Fit fit = WidthScaling.fit(group, observable);
            if (value == null || fit.fit().isEmpty()) {
                continue;
            }
            Map<String, String> key = new LinkedHashMap<>(group.fixed());
            key.remove(axis);
            labels.put(key, Cell.describe(key, context.experiment().labels()));
            lines.computeIfAbsent(key, k -> new ArrayList<>()).add(new Point(Double.parseDouble(value),
                    fit.fit().get().slope(), fit.fit().get().standardError()));
        }
        String axisLabel = Cell.label(axis, context.experiment().labels());
        StringBuilder md = new StringBuilder("Where the slope of %s against width changes sign along %s: below the "
                .formatted(observable, axisLabel) + "crossing the observable falls with width (linear), above it grows "
                + "(condensed), or the reverse.%s%n%n".formatted(theory.isEmpty() ? ""
                        : " Theory line: " + THEORIES.getOrDefault(theory, theory) + "."));
        md.append("| line | points | crossing of %s | standard error |%s%n|---|---|---|---|%s%n".formatted(axisLabel,
                theory.isEmpty() ? "" : " theory | difference |", theory.isEmpty() ? "" : "---|---|"));
        StringBuilder csv = new StringBuilder("line,points,crossing,standardError" + (theory.isEmpty() ? "" : ",theory")
                + "\n");
        String acrossPath = across != null ? across : acrossPath(lines);
        Map<String, String> reference = reference(lines, acrossPath);
        List<Double> across = new ArrayList<>();
        List<Double> crossings = new ArrayList<>();
        List<Double> errors = new ArrayList<>();
        List<Double> theoryValues = new ArrayList<>();
        for (Map.Entry<Map<String, String>, List<Point>> line : lines.entrySet()) {
            List<Point> points = line.getValue();
            points.sort(Comparator.comparingDouble(Point::x));
            Optional<Crossing> crossing = crossing(points);
            String label = labels.get(line.getKey());
            OptionalDoubleValue expected = theoryValue(line.getKey());
            String where = crossing.map(c -> "%.4f".formatted(c.at())).orElse(noCrossing(points));
            md.append("| %s | %d | %s | %s |".formatted(label, points.size(), where,
                    crossing.map(c -> "%.4f".formatted(c.standardError())).orElse("")));
            if (!theory.isEmpty()) {
                md.append(" %s | %s |".formatted(expected.text(), crossing.isPresent() && expected.present()
                        ? "%+.4f".formatted(crossing.get().at() - expected.value()) : ""));
            }
            md.append('\n');
            csv.append("%s,%d,%s,%s%s%n".formatted(Tables.csvField(label), points.size(),
                    crossing.map(c -> Tables.number(c.at())).orElse(""),
                    crossing.map(c -> Tables.number(c.standardError())).orElse(""),
                    theory.isEmpty() ? "" : "," + (expected.present() ? Tables.number(expected.value()) : "")));
            if (crossing.isPresent() && acrossPath != null && number(line.getKey().get(acrossPath)) != null
                    && matches(line.getKey(), reference, acrossPath)) {
                across.add(number(line.getKey().get(acrossPath)));
                crossings.add(crossing.get().at());
                errors.add(crossing.get().standardError());
                theoryValues.add(expected.present() ? expected.value() : Double.NaN);
            }
        }
        AtomicFiles.writeString(context.folder().resolve(FILE), csv.toString());
        List<String> files = new ArrayList<>(List.of(FILE));
        if (across.size() >= 2) {
            String other = Cell.label(acrossPath, context.experiment().labels());
            List<Plots.Series> series = new ArrayList<>();
            series.add(new Plots.Series("measured critical " + axisLabel, KernelDrift.array(across),
                    KernelDrift.array(crossings), KernelDrift.array(errors), false));
            if (!theory.isEmpty()) {
                series.add(new Plots.Series(THEORIES.getOrDefault(theory, theory), KernelDrift.array(across),
                        KernelDrift.array(theoryValues), null, true));
            }
            String file = "critical-line.png";
            Tables.delete(context.folder().resolve(file));
            Plots.linear(context.folder().resolve(file), "critical line: zero of the slope of " + observable,
                    other, axisLabel, series);
            md.append("\n![the critical line](%s)\n".formatted(file));
            files.add(file);
        }
        if (acrossPath != null && heatMap(context, lines, acrossPath, reference, files)) {
            md.append("\n![slopes of %s against width](slope-map.png)\n".formatted(observable));
        }
        md.append("\nAll crossings: ").append(FILE).append(".\n");
        return new Section("Critical point along " + axisLabel, md.toString(), files);
    }

    /**
     * The axis the lines differ in (rule.gammaPrime for lines along rule.gamma), when exactly one numeric axis does
     * among the lines of two or more points; null otherwise.
     */
    private static String acrossPath(Map<Map<String, String>, List<Point>> lines) {
        List<Map<String, String>> keys = lines.entrySet().stream().filter(e -> e.getValue().size() >= 2)
                .map(Map.Entry::getKey).toList();
        if (keys.size() < 2) {
            return null;
        }
        List<String> varying = keys.get(0).keySet().stream()
                .filter(path -> keys.stream().map(k -> k.get(path)).distinct().count() > 1).toList();
        return varying.size() == 1 && keys.stream().allMatch(k -> number(k.get(varying.get(0))) != null)
                ? varying.get(0) : null;
    }

    /** The other axis values of the first line of two or more points: the lines drawn together share them. */
    private static Map<String, String> reference(Map<Map<String, String>, List<Point>> lines, String acrossPath) {
        return lines.entrySet().stream().filter(e -> e.getValue().size() >= 2).map(Map.Entry::getKey).findFirst()
                .orElse(Map.of());
    }

    private static boolean matches(Map<String, String> key, Map<String, String> reference, String acrossPath) {
        return key.entrySet().stream().allMatch(e -> e.getKey().equals(acrossPath)
                || e.getValue().equals(reference.get(e.getKey())));
    }

    private static Double number(String text) {
        try {
            return text == null ? null : Double.parseDouble(text);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** The slopes of the lines of two or more points as a heat map over (the other axis, this one). */
    private boolean heatMap(Context context, Map<Map<String, String>, List<Point>> lines, String acrossPath,
            Map<String, String> reference, List<String> files) {
        List<Double> xs = new ArrayList<>();
        List<Double> ys = new ArrayList<>();
        List<double[]> cells = new ArrayList<>();
        lines.forEach((key, points) -> {
            if (points.size() < 2 || number(key.get(acrossPath)) == null || !matches(key, reference, acrossPath)) {
                return;
            }
            double x = number(key.get(acrossPath));
            for (Point p : points) {
                cells.add(new double[] {x, p.x(), p.slope()});
                if (!xs.contains(x)) {
                    xs.add(x);
                }
                if (!ys.contains(p.x())) {
                    ys.add(p.x());
                }
            }
        });
        Tables.delete(context.folder().resolve("slope-map.png"));
        if (xs.size() < 2) {
            return false;
        }
        String other = Cell.label(acrossPath, context.experiment().labels());
        Plots.heatMap(context.folder().resolve("slope-map.png"), "slope of " + observable + " against width",
                other, Cell.label(axis, context.experiment().labels()), xs, ys, cells);
        files.add("slope-map.png");
        return true;
    }

    private static String noCrossing(List<Point> points) {
        boolean allNegative = points.stream().allMatch(p -> p.slope() < 0);
        boolean allPositive = points.stream().allMatch(p -> p.slope() > 0);
        return allNegative ? "none: every slope negative" : allPositive ? "none: every slope positive" : "none";
    }

    /** A value of the theory line at a line's other axis value, when it has one. */
    private record OptionalDoubleValue(boolean present, double value) {
        String text() {
            return present ? "%.4f".formatted(value) : "";
        }
    }

    private OptionalDoubleValue theoryValue(Map<String, String> key) {
        Double gammaPrime = number(key.getOrDefault("rule.gammaPrime", "0"));
        if (!theory.equals("lxmz") || !axis.equals("rule.gamma") || gammaPrime == null) {
            return new OptionalDoubleValue(false, Double.NaN);
        }
        return new OptionalDoubleValue(true, 1 + Math.max(0, gammaPrime));
    }

    /** The first zero crossing of a line's slopes (points sorted by x), or empty. */
    static Optional<Crossing> crossing(List<Point> points) {
        int bracket = -1;
        for (int i = 0; i + 1 < points.size(); i++) {
            if (Math.signum(points.get(i).slope()) != Math.signum(points.get(i + 1).slope())
                    || points.get(i).slope() == 0) {
                bracket = i;
                break;
            }
        }
        if (bracket < 0) {
            return Optional.empty();
        }
        List<Point> used = points.subList(Math.max(0, bracket - 1), Math.min(points.size(), bracket + 3));
        boolean weighted = used.stream().allMatch(p -> p.standardError() > 0 && Double.isFinite(p.standardError()));
        double sw = 0;
        double swx = 0;
        double swxx = 0;
        double swy = 0;
        double swxy = 0;
        for (Point p : used) {
            double w = weighted ? 1 / (p.standardError() * p.standardError()) : 1;
            sw += w;
            swx += w * p.x();
            swxx += w * p.x() * p.x();
            swy += w * p.slope();
            swxy += w * p.x() * p.slope();
        }
        double det = sw * swxx - swx * swx;
        double b = (sw * swxy - swx * swy) / det;
        double a = (swy - b * swx) / sw;
        // covariance of (a, b): (X^T W X)^-1, scaled by the residual variance when the errors are unknown
        double scale = 1;
        if (!weighted) {
            double residual = 0;
            for (Point p : used) {
                double r = p.slope() - a - b * p.x();
                residual += r * r;
            }
            scale = used.size() > 2 ? residual / (used.size() - 2) : Double.NaN;
        }
        double varA = scale * swxx / det;
        double varB = scale * sw / det;
        double covAB = -scale * swx / det;
        double at = -a / b;
        double variance = (varA + at * at * varB + 2 * at * covAB) / (b * b);
        return Optional.of(new Crossing(at, Math.sqrt(Math.max(0, variance)), used.size()));
    }
}
