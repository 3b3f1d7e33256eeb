package io.thetalazy.experiments.analysis;

import io.thetalazy.experiments.report.Plots;
import io.thetalazy.kernels.io.AtomicFiles;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * RD against width ({@link WidthScaling}): per group of cells differing only in width and seed, the slopes of the
 * pooled RD, of every RD_l and of max_l RD_l with their standard errors and regimes, in {@value #SLOPES}, and the
 * log-log figures of RD, RD_1 and max_l RD_l with their fits.
 */
final class RdVsWidth implements Analysis {
    static final String SLOPES = "slopes.csv";
    private static final Map<String, String> TITLES = Map.of("rd", "RD (all parameters)", "rd-1", "RD_1 (input layer)",
            "rd-max", "max_l RD_l");

    @Override
    public Section run(Context context) {
        List<WidthScaling.Group> groups = context.widthGroups();
        int layers = groups.stream().mapToInt(WidthScaling.Group::layers).max().orElse(0);
        List<String> observables = WidthScaling.observables(layers);
        StringBuilder md = new StringBuilder()
                .append("The relative distance RD = |theta(T) - theta(0)| / |theta(0)| at the end of training, pooled ")
                .append("over all parameters and per layer (RD_l), against the width m. Each group pools the cells ")
                .append("that differ only in width and seed; its slope is the least-squares slope of log RD against ")
                .append("log m over its converged cells, with its standard error. A slope below -max(0.05, 2 se) ")
                .append("reads linear (parameters barely move as m grows), above max(0.05, 2 se) condensed, else ")
                .append("critical (docs/theory.md, regime slope).\n\n");
        md.append("| group | converged | ").append(String.join(" | ", observables.stream().map(o -> "slope " + o)
                .toList())).append(" | regime (rd-1) | regime (rd-max) |\n|---|---|");
        md.append("---|".repeat(observables.size() + 2)).append('\n');
        StringBuilder csv = new StringBuilder("group,observable,slope,standardError,points,leftOut,regime\n");
        Map<String, List<Plots.FitSeries>> figures = new LinkedHashMap<>();
        for (String observable : List.of("rd", "rd-1", "rd-max")) {
            figures.put(observable, new ArrayList<>());
        }
        for (WidthScaling.Group group : groups) {
            long converged = group.members().stream().filter(m -> m.result().converged()).count();
            md.append("| %s | %d of %d |".formatted(group.label(), converged, group.members().size()));
            for (String observable : observables) {
                WidthScaling.Fit fit = WidthScaling.fit(group, observable);
                md.append(' ').append(fit.text()).append(" |");
                csv.append("%s,%s,%s,%s,%d,%d,%s%n".formatted(Tables.csvField(group.label()), observable,
                        fit.fit().map(f -> Tables.number(f.slope())).orElse(""),
                        fit.fit().map(f -> Tables.number(f.standardError())).orElse(""), fit.used(), fit.leftOut(),
                        fit.regime()));
                List<Plots.FitSeries> figure = figures.get(observable);
                if (figure != null) {
                    double[] x = group.members().stream().mapToDouble(m -> m.cell().config().width()).toArray();
                    double[] y = group.members().stream()
                            .mapToDouble(m -> m.result().converged() ? WidthScaling.value(m.result(), observable)
                                    : Double.NaN).toArray();
                    figure.add(new Plots.FitSeries(group.label(), x, y, fit.fit().orElse(null)));
                }
            }
            md.append(" %s | %s |\n".formatted(WidthScaling.fit(group, "rd-1").regime(),
                    WidthScaling.fit(group, "rd-max").regime()));
        }
        AtomicFiles.writeString(context.folder().resolve(SLOPES), csv.toString());
        md.append("\nAll fits: ").append(SLOPES).append(". Figures show converged cells only; a dashed line is the fit ")
                .append("of the points in its colour.\n\n");
        List<String> files = new ArrayList<>(List.of(SLOPES));
        for (Map.Entry<String, List<Plots.FitSeries>> figure : figures.entrySet()) {
            String file = figure.getKey() + "-vs-width.png";
            if (Tables.figure(context.folder().resolve(file), TITLES.get(figure.getKey())
                    + " at the end of training against width", "width m", figure.getKey(), figure.getValue())) {
                md.append("![%s against width](%s)\n\n".formatted(TITLES.get(figure.getKey()), file));
                files.add(file);
            }
        }
        return new Section("RD against width", md.toString(), files);
    }
}
