package io.thetalazy.experiments.report;

import io.thetalazy.experiments.sweep.SlopeFit;
import io.thetalazy.experiments.sweep.Sweep;
import io.thetalazy.kernels.io.AtomicFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The report of a sweep over kappa exponents and widths: RD at the end of training against m, the log-log slopes of
 * RD and of every RD_l with standard errors, and the regime each indicates (docs/theory.md#regime-slope). Writes {@code
 * runs.csv}, {@code slopes.csv}, {@code rd-vs-width.png} and {@code report.md}.
 */
public final class WidthSweepReport {
    private WidthSweepReport() {}

    /** One group of cells sharing everything but the width, labelled by its kappa exponent. */
    public record Group(String label, double exponent, List<Sweep.Outcome> outcomes) {
        public Group {
            outcomes = List.copyOf(outcomes);
        }

        double[] widths() {
            return outcomes.stream().mapToDouble(o -> o.cell().config().width()).toArray();
        }

        boolean allConverged() {
            return outcomes.stream().allMatch(o -> o.status().equals("converged"));
        }

        SlopeFit fit(int layer) {
            double[] rd = outcomes.stream().mapToDouble(o -> layer == 0 ? o.finalRd() : o.finalLayerRd().get(layer - 1))
                    .toArray();
            return SlopeFit.logLog(widths(), rd);
        }

        int layers() {
            return outcomes.get(0).finalLayerRd().size();
        }
    }

    /** The printed summary of one group. */
    public static String text(Group group) {
        StringBuilder out = new StringBuilder();
        out.append("%s (kappa exponent q = %s)%n".formatted(group.label(), number(group.exponent())));
        out.append("  %7s  %-11s %7s %11s %11s %11s%n".formatted("m", "status", "steps", "final loss", "RD", "RD_1"));
        for (Sweep.Outcome o : group.outcomes()) {
            out.append("  %7d  %-11s %7d %11.3e %11.3e %11.3e%n".formatted(o.cell().config().width(), o.status(),
                    o.steps(), o.finalLoss(), o.finalRd(), o.finalLayerRd().get(0)));
        }
        if (group.outcomes().size() >= 2) {
            SlopeFit total = group.fit(0);
            SlopeFit input = group.fit(1);
            out.append("  slope of log RD vs log m: %+.3f +- %.3f; of log RD_1 (regime slope S): %+.3f +- %.3f -> %s%s%n"
                    .formatted(total.slope(), total.standardError(), input.slope(), input.standardError(),
                            input.regime(), group.allConverged() ? "" : "  (not every run converged: read with care)"));
        }
        return out.toString();
    }

    public static void write(Path folder, List<Group> groups) {
        StringBuilder runs = new StringBuilder("group,exponent,width,status,steps,finalLoss,rd");
        int layers = groups.get(0).layers();
        for (int l = 1; l <= layers; l++) {
            runs.append(",rd-").append(l);
        }
        runs.append(",wallSeconds\n");
        StringBuilder slopes = new StringBuilder("group,exponent,observable,slope,standardError,points,regime\n");
        StringBuilder markdown = new StringBuilder("# RD against width\n\n");
        markdown.append("Relative distance RD = |theta(T) - theta(0)| / |theta(0)| at the end of training, against the width m. ")
                .append("A negative slope means the parameters barely move as m grows (linear, lazy regime); ")
                .append("the regime label reads the slope S of RD_1 (input layer), as docs/theory.md (regime slope) ")
                .append("defines it.\n\n")
                .append("| group | q | slope RD | slope RD_1 (S) | regime |\n|---|---|---|---|---|\n");
        Map<String, List<double[]>> series = new LinkedHashMap<>();
        for (Group group : groups) {
            for (Sweep.Outcome o : group.outcomes()) {
                runs.append("%s,%s,%d,%s,%d,%s,%s".formatted(group.label(), number(group.exponent()),
                        o.cell().config().width(), o.status(), o.steps(), number(o.finalLoss()), number(o.finalRd())));
                for (double rd : o.finalLayerRd()) {
                    runs.append(',').append(number(rd));
                }
                runs.append(',').append(number(o.wallSeconds())).append('\n');
            }
            series.put(group.label() + " RD", List.of(group.widths(),
                    group.outcomes().stream().mapToDouble(Sweep.Outcome::finalRd).toArray()));
            series.put(group.label() + " RD_1", List.of(group.widths(),
                    group.outcomes().stream().mapToDouble(o -> o.finalLayerRd().get(0)).toArray()));
            if (group.outcomes().size() < 2) {
                continue;
            }
            for (int l = 0; l <= layers; l++) {
                SlopeFit fit = group.fit(l);
                slopes.append("%s,%s,%s,%s,%s,%d,%s%n".formatted(group.label(), number(group.exponent()),
                        l == 0 ? "rd" : "rd-" + l, number(fit.slope()), number(fit.standardError()), fit.points(),
                        fit.regime()));
            }
            SlopeFit total = group.fit(0);
            SlopeFit input = group.fit(1);
            markdown.append("| %s | %s | %+.3f +- %.3f | %+.3f +- %.3f | %s |%n".formatted(group.label(),
                    number(group.exponent()), total.slope(), total.standardError(), input.slope(),
                    input.standardError(), input.regime()));
        }
        markdown.append("\n![RD against width](rd-vs-width.png)\n\nPer-run files: one folder per cell (config.yaml, ")
                .append("card.json, metrics.csv, summary.json, params/). All runs: runs.csv; fits: slopes.csv.\n");
        AtomicFiles.writeString(folder.resolve("runs.csv"), runs.toString());
        AtomicFiles.writeString(folder.resolve("slopes.csv"), slopes.toString());
        AtomicFiles.writeString(folder.resolve("report.md"), markdown.toString());
        Plots.lines(folder.resolve("rd-vs-width.png"), "RD (all layers) and RD_1 (input layer) at the end of training",
                "width m", "relative distance", series, true, true, true);
    }

    static String number(double value) {
        return String.format(Locale.ROOT, "%.6g", value).trim();
    }

    static List<Double> list(double[] values) {
        List<Double> list = new ArrayList<>();
        for (double v : values) {
            list.add(v);
        }
        return list;
    }
}
