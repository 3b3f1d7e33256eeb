package io.thetalazy.experiments.analysis;

import io.thetalazy.core.layer.Network;
import io.thetalazy.core.layer.Params;
import io.thetalazy.experiments.report.Plots;
import io.thetalazy.kernels.empirical.EmpiricalKernels;
import io.thetalazy.kernels.empirical.TangentKernels;
import io.thetalazy.kernels.io.AtomicFiles;
import io.thetalazy.core.layer.KernelLimit;
import io.thetalazy.kernels.limit.LimitKernels;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Kernel convergence: per cell at initialization, on its training inputs, the relative distance of the empirical
 * normalized Gram matrix of every layer from its infinite-width limit, |G^[l] - K^[l]|_F / |K^[l]|_F, with G^[l] =
 * (m / kappa^2) Theta_l ({@link EmpiricalKernels}, what {@code thetalazy ntk} computes) and K^[l] ({@link
 * LimitKernels}, what {@code thetalazy kernel} computes); and per group of cells differing only in width and seed the
 * log-log slope against m of each layer's error and of the largest (max_l), expected about -1/2. The kernels at
 * initialization do not depend on how training went, so every finished cell counts, converged or not.
 */
final class KernelConvergence implements Analysis {
    static final String CELLS = "kernel-convergence.csv";
    static final String SLOPES = "kernel-convergence-slopes.csv";
    static final String FIGURE = "kernel-convergence-vs-width.png";
    /** The slope the Monte Carlo tests accept (docs/theory.md#what-correct-means): -1/2 within this. */
    static final double SLOPE_TOLERANCE = 0.15;

    @Override
    public Section run(Context context) {
        CellNotes notes = new CellNotes();
        StringBuilder csv = new StringBuilder("group,cell,width,seed,layer,error\n");
        StringBuilder slopes = new StringBuilder("group,layer,slope,standardError,points,leftOut,withinHalf\n");
        StringBuilder table = new StringBuilder("| group | layer | error, by width (mean over seeds) | slope | cells in "
                + "the fit | slope within 0.15 of -1/2 |\n|---|---|---|---|---|---|\n");
        List<Plots.FitSeries> figure = new ArrayList<>();
        for (WidthScaling.Group group : context.widthGroups()) {
            Map<String, List<double[]>> byLayer = new LinkedHashMap<>();   // layer -> (width, error)
            for (WidthScaling.Member member : group.members()) {
                String skip = CellInputs.unusable(member.result());
                if (skip != null) {
                    notes.skip(skip);
                    continue;
                }
                double[] errors;
                try {
                    CellInputs.Loaded cell = CellInputs.load(context, member.cell());
                    errors = errors(cell.network(), cell.init(), cell.x());
                } catch (RuntimeException e) {
                    notes.problem(member.cell(), CellInputs.reason(e));
                    continue;
                }
                notes.analysed();
                int width = member.cell().config().width();
                double max = 0;
                for (int l = 1; l <= errors.length; l++) {
                    add(byLayer, csv, group, member, width, Integer.toString(l), errors[l - 1]);
                    max = Math.max(max, errors[l - 1]);
                }
                add(byLayer, csv, group, member, width, "max", max);
            }
            byLayer.forEach((layer, points) -> {
                double[] widths = points.stream().mapToDouble(p -> p[0]).toArray();
                double[] values = points.stream().mapToDouble(p -> p[1]).toArray();
                boolean[] all = new boolean[points.size()];
                java.util.Arrays.fill(all, true);
                WidthScaling.Fit fit = CellNotes.fit("kernel-error-" + layer, widths, values, all);
                String within = fit.fit().map(f -> Math.abs(f.slope() + 0.5) <= SLOPE_TOLERANCE ? "yes" : "no")
                        .orElse("");
                slopes.append("%s,%s,%s,%s,%d,%d,%s%n".formatted(Tables.csvField(group.label()), layer,
                        fit.fit().map(f -> Tables.number(f.slope())).orElse(""),
                        fit.fit().map(f -> Tables.number(f.standardError())).orElse(""), fit.used(), fit.leftOut(),
                        within));
                table.append("| %s | %s | %s | %s | %d | %s |\n".formatted(group.label(), label(layer),
                        CellNotes.byWidth(widths, values), fit.text(), fit.used(), within.isEmpty() ? "-" : within));
                figure.add(new Plots.FitSeries(group.label() + ", " + label(layer), widths, values,
                        fit.fit().orElse(null)));
            });
        }
        AtomicFiles.writeString(context.folder().resolve(CELLS), csv.toString());
        AtomicFiles.writeString(context.folder().resolve(SLOPES), slopes.toString());
        StringBuilder md = new StringBuilder()
                .append("At initialization, on each cell's training inputs, the relative distance |G^[l] - K^[l]|_F / ")
                .append("|K^[l]|_F of the empirical normalized Gram matrix G^[l] = (m / kappa^2) Theta_l of every ")
                .append("layer from its infinite-width limit K^[l] (docs/theory.md#kernel-recursions), and the ")
                .append("largest over the layers (max). At random initialization it falls like m^-1/2: each group's ")
                .append("slope of log error against log m over its finished cells (seeds pooled) is expected near ")
                .append("-1/2 (the tests accept -1/2 +- 0.15 for the root mean square over 16 seeds).\n\n")
                .append(notes.markdown());
        if (notes.analysedCount() > 0) {
            md.append(table).append('\n');
        }
        md.append("Per cell and layer: %s; slopes: %s.\n\n".formatted(CELLS, SLOPES));
        List<String> files = new ArrayList<>(List.of(CELLS, SLOPES));
        if (CellNotes.drawn(md, FIGURE, () -> Tables.figure(context.folder().resolve(FIGURE), "|G^[l] - K^[l]| / "
                + "|K^[l]| at initialization against width", "width m", "relative error", figure))) {
            md.append("![kernel convergence against width](%s)\n".formatted(FIGURE));
            files.add(FIGURE);
        }
        return new Section("Kernel convergence", md.toString(), files);
    }

    private static String label(String layer) {
        return layer.equals("max") ? "max_l" : "l=" + layer;
    }

    private static void add(Map<String, List<double[]>> byLayer, StringBuilder csv, WidthScaling.Group group,
            WidthScaling.Member member, int width, String layer, double error) {
        csv.append("%s,%s,%d,%d,%s,%s%n".formatted(Tables.csvField(group.label()), member.cell().id(), width,
                member.cell().config().seed(), layer, Tables.number(error)));
        byLayer.computeIfAbsent(layer, k -> new ArrayList<>()).add(new double[] {width, error});
    }

    /** |G^[l] - K^[l]|_F / |K^[l]|_F for l = 1..L+1 on the inputs x, at the given parameters. */
    static double[] errors(Network network, Params params, INDArray x) {
        TangentKernels empirical = EmpiricalKernels.of(network).compute(params, x);
        KernelLimit limit = LimitKernels.of(network).compute(x);
        double[] errors = new double[empirical.layerCount()];
        for (int l = 1; l <= errors.length; l++) {
            INDArray k = limit.layer(l);
            errors[l - 1] = empirical.gram(l).distance2(k) / k.norm2Number().doubleValue();
        }
        return errors;
    }
}
