package io.thetalazy.experiments.analysis;

import static java.util.Objects.requireNonNull;

import io.thetalazy.experiments.config.Cell;
import io.thetalazy.experiments.config.Experiment;
import io.thetalazy.experiments.sweep.CellResult;
import io.thetalazy.experiments.sweep.SlopeFit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * RD against width: the cells that differ only in width (and seed) form a group; in each, the least-squares slope of
 * log RD against log m, for the pooled RD, every RD_l and max_l RD_l, over its converged cells, with the regime that
 * slope indicates (docs/theory.md#regime-slope). A cell that did not converge is left out of the fit and counted.
 */
public final class WidthScaling {
    /** The axes a group pools over. */
    public static final List<String> POOLED = List.of("width", "seed");

    private WidthScaling() {}

    /** One cell with its result. */
    public record Member(Cell cell, CellResult result) {}

    /**
     * Cells sharing every axis value but width and seed.
     *
     * @param fixed the axis values the members share, by dotted path
     * @param label those values under their labels ({@code q=0.5}), or {@code all} when there are none
     */
    public record Group(String label, Map<String, String> fixed, List<Member> members) {
        public Group {
            requireNonNull(label, "label is null");
            fixed = new LinkedHashMap<>(fixed);
            members = List.copyOf(members);
        }

        /** The number of layers RD is recorded for (depth + 1), the largest among the members. */
        public int layers() {
            return members.stream().mapToInt(m -> m.cell().config().depth() + 1).max().orElse(0);
        }

        public boolean allConverged() {
            return members.stream().allMatch(m -> m.result().converged());
        }
    }

    /**
     * A slope over a group's converged cells.
     *
     * @param observable {@code rd}, {@code rd-<l>} or {@code rd-max}
     * @param fit the fit, empty when fewer than two converged cells of distinct widths have a positive value
     * @param used cells in the fit
     * @param leftOut cells of the group left out (not converged, or no positive value)
     */
    public record Fit(String observable, Optional<SlopeFit> fit, int used, int leftOut) {
        /** The regime label, or {@code none} without a fit. */
        public String regime() {
            return fit.map(SlopeFit::regime).orElse("none");
        }

        /** {@code -0.493 +- 0.021}, or {@code no fit (1 converged cell)}. */
        public String text() {
            return fit.map(f -> Double.isNaN(f.standardError()) ? "%+.3f (2 points: no error)".formatted(f.slope())
                    : "%+.3f +- %.3f".formatted(f.slope(), f.standardError()))
                    .orElse("no fit (%d usable cell%s)".formatted(used, used == 1 ? "" : "s"));
        }
    }

    /** The groups of an experiment's cells, in the order their first cells appear. */
    public static List<Group> groups(Experiment experiment, Map<Cell, CellResult> results) {
        Map<Map<String, String>, List<Member>> byFixed = new LinkedHashMap<>();
        results.forEach((cell, result) -> {
            Map<String, String> fixed = new LinkedHashMap<>(cell.axes());
            POOLED.forEach(fixed::remove);
            byFixed.computeIfAbsent(fixed, k -> new ArrayList<>()).add(new Member(cell, result));
        });
        List<Group> groups = new ArrayList<>();
        byFixed.forEach((fixed, members) -> {
            groups.add(new Group(Cell.describe(fixed, experiment.labels()), fixed, members));
        });
        return groups;
    }

    /** The observables a group of {@code layers} layers has: rd, rd-1 .. rd-layers, rd-max. */
    public static List<String> observables(int layers) {
        List<String> names = new ArrayList<>(List.of("rd"));
        for (int l = 1; l <= layers; l++) {
            names.add("rd-" + l);
        }
        names.add("rd-max");
        return names;
    }

    /** An observable of a finished cell, NaN where the cell has none. */
    public static double value(CellResult result, String observable) {
        if (!result.done() || result.failed()) {
            return Double.NaN;
        }
        if (observable.equals("rd")) {
            return result.finalRd();
        }
        if (observable.equals("rd-max")) {
            return result.maxLayerRd();
        }
        if (observable.startsWith("rd-")) {
            int layer = Integer.parseInt(observable.substring(3));
            return layer >= 1 && layer <= result.finalLayerRd().size() ? result.finalLayerRd().get(layer - 1)
                    : Double.NaN;
        }
        throw new IllegalArgumentException("unknown observable " + observable);
    }

    /** The slope of {@code observable} against width over the group's converged cells. */
    public static Fit fit(Group group, String observable) {
        List<Double> widths = new ArrayList<>();
        List<Double> values = new ArrayList<>();
        for (Member member : group.members()) {
            double value = value(member.result(), observable);
            if (member.result().converged() && value > 0 && Double.isFinite(value)) {
                widths.add((double) member.cell().config().width());
                values.add(value);
            }
        }
        int leftOut = group.members().size() - widths.size();
        if (widths.stream().distinct().count() < 2) {
            return new Fit(observable, Optional.empty(), widths.size(), leftOut);
        }
        SlopeFit fit = SlopeFit.logLog(widths.stream().mapToDouble(Double::doubleValue).toArray(),
                values.stream().mapToDouble(Double::doubleValue).toArray());
        return new Fit(observable, Optional.of(fit), widths.size(), leftOut);
    }

    /** The printed table of one group: a row per cell, then the slopes of RD and RD_1. */
    public static String text(Group group) {
        StringBuilder out = new StringBuilder(group.label()).append('\n');
        out.append("  %7s  %-11s %7s %11s %11s %11s %11s%n".formatted("m", "status", "steps", "final loss", "RD",
                "RD_1", "max RD_l"));
        for (Member m : group.members()) {
            CellResult r = m.result();
            if (!r.done() || r.failed()) {
                out.append("  %7d  %-11s %s%n".formatted(m.cell().config().width(), r.status(), r.message()));
                continue;
            }
            out.append("  %7d  %-11s %7d %11.3e %11.3e %11.3e %11.3e%n".formatted(m.cell().config().width(),
                    r.status(), r.steps(), r.finalLoss(), r.finalRd(), value(r, "rd-1"), r.maxLayerRd()));
        }
        if (group.members().size() >= 2) {
            Fit total = fit(group, "rd");
            Fit input = fit(group, "rd-1");
            Fit max = fit(group, "rd-max");
            out.append("  slope of log RD vs log m: %s; of log RD_1 (regime slope S): %s -> %s; of log max RD_l: %s%n"
                    .formatted(total.text(), input.text(), input.regime(), max.text()));
            if (input.leftOut() > 0) {
                out.append("  (%d of %d cells did not converge and are left out of the fits)%n"
                        .formatted(input.leftOut(), group.members().size()));
            }
        }
        return out.toString();
    }
}
