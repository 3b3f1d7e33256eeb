package io.thetalazy.experiments.analysis;

import io.thetalazy.experiments.report.Plots;
import io.thetalazy.experiments.sweep.SlopeFit;
import io.thetalazy.kernels.io.AtomicFiles;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Kernel drift against width: |Theta_train(T) - Theta_train(0)|_F / |Theta_train(0)|_F at the end of training (the
 * last {@code drift} of metrics.csv, recorded with {@code training.kernelEvery > 0}) per group of cells differing only
 * in width and seed, and its log-log slope over the converged cells: in the lazy regime the kernel freezes as m grows.
 */
final class KernelDrift implements Analysis {
    static final String FILE = "kernel-drift.csv";

    @Override
    public Section run(Context context) {
        StringBuilder csv = new StringBuilder("id,group,width,status,drift\n");
        StringBuilder md = new StringBuilder("The relative change of the training kernel between initialization and ")
                .append("the end, |Theta_train(T) - Theta_train(0)|_F / |Theta_train(0)|_F, against the width m; the ")
                .append("slope is fitted over converged cells.\n\n| group | cells with drift | slope | regime |\n")
                .append("|---|---|---|---|\n");
        List<Plots.FitSeries> series = new ArrayList<>();
        int withDrift = 0;
        for (WidthScaling.Group group : context.widthGroups()) {
            List<Double> widths = new ArrayList<>();
            List<Double> drifts = new ArrayList<>();
            for (WidthScaling.Member member : group.members()) {
                if (!member.result().done() || member.result().failed()) {
                    continue;
                }
                double drift = Metrics.read(context.cellFolder(member.cell())).filter(m -> m.has("drift"))
                        .map(m -> m.last("drift")).orElse(Double.NaN);
                csv.append("%s,%s,%d,%s,%s%n".formatted(member.cell().id(), Tables.csvField(group.label()),
                        member.cell().config().width(), member.result().status(), Tables.number(drift)));
                if (member.result().converged() && drift > 0) {
                    widths.add((double) member.cell().config().width());
                    drifts.add(drift);
                }
            }
            withDrift += drifts.size();
            Optional<SlopeFit> fit = fit(widths, drifts);
            WidthScaling.Fit result = new WidthScaling.Fit("drift", fit, widths.size(),
                    group.members().size() - widths.size());
            md.append("| %s | %d of %d | %s | %s |%n".formatted(group.label(), widths.size(), group.members().size(),
                    result.text(), result.regime()));
            series.add(new Plots.FitSeries(group.label(), array(widths), array(drifts), fit.orElse(null)));
        }
        AtomicFiles.writeString(context.folder().resolve(FILE), csv.toString());
        List<String> files = new ArrayList<>(List.of(FILE));
        if (withDrift == 0) {
            md.append("\nNo converged cell recorded the kernel drift: set training.kernelEvery above 0.\n");
        } else if (Tables.figure(context.folder().resolve("kernel-drift-vs-width.png"), "kernel drift at the end "
                + "of training against width", "width m", "drift", series)) {
            md.append("\n![kernel drift against width](kernel-drift-vs-width.png)\n");
            files.add("kernel-drift-vs-width.png");
        }
        md.append("\nPer cell: ").append(FILE).append(".\n");
        return new Section("Kernel drift against width", md.toString(), files);
    }

    /** The log-log slope of drift against width, when the points have two distinct widths. */
    static Optional<SlopeFit> fit(List<Double> widths, List<Double> drifts) {
        return widths.stream().distinct().count() >= 2
                ? Optional.of(SlopeFit.logLog(array(widths), array(drifts))) : Optional.empty();
    }

    static double[] array(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
