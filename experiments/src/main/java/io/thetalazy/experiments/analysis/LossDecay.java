package io.thetalazy.experiments.analysis;

import io.thetalazy.core.layer.Network;
import io.thetalazy.core.layer.Params;
import io.thetalazy.experiments.report.Plots;
import io.thetalazy.experiments.sweep.RunSetup;
import io.thetalazy.kernels.empirical.EmpiricalKernels;
import io.thetalazy.kernels.empirical.TangentKernels;
import io.thetalazy.kernels.io.AtomicFiles;
import io.thetalazy.core.layer.KernelLimit;
import io.thetalazy.kernels.limit.LimitKernels;
import io.thetalazy.kernels.predict.Rates;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Loss decay against the kernel's prediction. Per finished cell, the exponential rate r of the training loss in
 * gradient-flow time t = sum_k eta_k (metrics.csv's {@code time}), fitted over the second half of its decay in log
 * scale (where the slowest mode dominates), beside r_0 = 2 lambda_min(Theta_train(0)) / n (the network at
 * initialization) and r_inf = 2 (kappa^2/m) lambda_min(sum_l mu_l K^[l]) / n (the infinite-width limit), both per unit
 * of t (docs/theory.md#kernel-recursions). In the lazy regime r / r_0 and r / r_inf approach 1 as m grows. The figure
 * draws R_S(t) / R_S(0) against r_inf t at each group's largest width: loss curves of different initialization schemes
 * at the same kappa collapse on one line.
 */
final class LossDecay implements Analysis {
    static final String FILE = "loss-decay.csv";

    /** One cell's rates; NaN where missing. */
    record Decay(double fitted, int points, double empirical, double limit, String note) {}

    @Override
    public Section run(Context context) {
        StringBuilder csv = new StringBuilder("id,group,width,status,fittedRate,points,r0,rInf,fittedOverR0,"
                + "fittedOverRInf,note\n");
        StringBuilder md = new StringBuilder("The fitted exponential rate r of the training loss in gradient-flow time ")
                .append("(the second half of its decay in log scale) against r_0 = 2 lambda_min(Theta_train(0)) / n ")
                .append("and r_inf = 2 (kappa^2/m) lambda_min(sum_l mu_l K^[l]) / n, per unit of t = sum_k eta_k.\n\n")
                .append("| group | m | status | fitted r | r_0 | r_inf | r / r_0 | r / r_inf |\n")
                .append("|---|---|---|---|---|---|---|---|\n");
        Map<String, List<double[]>> curves = new LinkedHashMap<>();
        for (WidthScaling.Group group : context.widthGroups()) {
            int largest = group.members().stream().mapToInt(m -> m.cell().config().width()).max().orElse(0);
            for (WidthScaling.Member member : group.members()) {
                if (!member.result().done() || member.result().failed()) {
                    continue;
                }
                var folder = context.cellFolder(member.cell());
                Optional<Metrics> metrics = Metrics.read(folder);
                if (metrics.isEmpty()) {
                    continue;
                }
                Decay decay = decay(metrics.get(), member.cell(), folder, context);
                csv.append("%s,%s,%d,%s,%s,%d,%s,%s,%s,%s,%s%n".formatted(member.cell().id(),
                        Tables.csvField(group.label()), member.cell().config().width(), member.result().status(),
                        Tables.number(decay.fitted()), decay.points(), Tables.number(decay.empirical()),
                        Tables.number(decay.limit()), Tables.number(decay.fitted() / decay.empirical()),
                        Tables.number(decay.fitted() / decay.limit()), Tables.csvField(decay.note())));
                md.append("| %s | %d | %s | %s | %s | %s | %s | %s |%n".formatted(group.label(),
                        member.cell().config().width(), member.result().status(), format(decay.fitted()),
                        format(decay.empirical()), format(decay.limit()), ratio(decay.fitted(), decay.empirical()),
                        ratio(decay.fitted(), decay.limit())));
                if (member.cell().config().width() == largest && Double.isFinite(decay.limit())) {
                    double[] time = metrics.get().column("time");
                    double[] loss = metrics.get().column("loss");
                    double[] scaled = new double[time.length];
                    double[] relative = new double[loss.length];
                    for (int i = 0; i < time.length; i++) {
                        scaled[i] = time[i] * decay.limit();
                        relative[i] = loss[i] / loss[0];
                    }
                    String name = group.label() + (group.members().stream().anyMatch(m -> m != member
                            && m.cell().config().width() == largest) ? " seed " + member.cell().config().seed() : "");
                    curves.put(name, List.of(scaled, relative));
                }
            }
        }
        AtomicFiles.writeString(context.folder().resolve(FILE), csv.toString());
        List<String> files = new ArrayList<>(List.of(FILE));
        String figure = "loss-vs-scaled-time.png";
        Tables.delete(context.folder().resolve(figure));
        if (!curves.isEmpty()) {
            Plots.lines(context.folder().resolve(figure), "R_S(t) / R_S(0) against r_inf t at the largest width",
                    "r_inf t", "R_S(t) / R_S(0)", curves, false, true, false);
            md.append("\n![loss against scaled time](%s)\n".formatted(figure));
            files.add(figure);
        }
        md.append("\nPer cell: ").append(FILE).append(".\n");
        return new Section("Loss decay", md.toString(), files);
    }

    private static String format(double value) {
        return Double.isFinite(value) ? "%.4g".formatted(value) : "";
    }

    private static String ratio(double a, double b) {
        return Double.isFinite(a / b) ? "%.3f".formatted(a / b) : "";
    }

    private static Decay decay(Metrics metrics, io.thetalazy.experiments.config.Cell cell, java.nio.file.Path folder,
            Context context) {
        double[] time = metrics.column("time");
        double[] loss = metrics.column("loss");
        Fit fit = rate(time, loss);
        double empirical = Double.NaN;
        double limit = Double.NaN;
        String note = "";
        try {
            RunSetup setup = RunSetup.ofRunFolder(cell.config(), folder, context.registry());
            Network network = setup.network();
            Params params = network.init(setup.config().seed());
            INDArray x = setup.data().x();
            TangentKernels initial = EmpiricalKernels.of(network).compute(params, x);
            List<INDArray> limits = List.of();
            OptionalDouble lambdaS = OptionalDouble.empty();
            try {
                KernelLimit kernelLimit = LimitKernels.of(network).compute(x);
                limits = kernelLimit.layers();
                lambdaS = kernelLimit.lambdaS();
            } catch (RuntimeException e) {
                note = "no limit: " + e.getMessage();
            }
            Rates rates = Rates.of(1.0, initial, limits, lambdaS);
            empirical = rates.empirical().value();
            limit = rates.limit().map(r -> r.value()).orElse(Double.NaN);
        } catch (RuntimeException e) {
            note = "no prediction: " + e.getMessage();
        }
        return new Decay(fit.rate(), fit.points(), empirical, limit, note);
    }

    /** A fitted rate and the points it used. */
    record Fit(double rate, int points) {}

    /**
     * The rate r of loss ~ exp(-r t), least squares of log loss against t over the rows in the second half of the
     * decay's log range; NaN with fewer than two such rows.
     */
    static Fit rate(double[] time, double[] loss) {
        if (loss.length < 2 || !(loss[0] > 0)) {
            return new Fit(Double.NaN, 0);
        }
        double first = Math.log(loss[0]);
        double last = Double.NaN;
        for (int i = loss.length - 1; i >= 0; i--) {
            if (loss[i] > 0 && Double.isFinite(loss[i])) {
                last = Math.log(loss[i]);
                break;
            }
        }
        double threshold = first - (first - last) / 2;
        List<double[]> points = new ArrayList<>();
        for (int i = 0; i < loss.length; i++) {
            if (loss[i] > 0 && Double.isFinite(time[i]) && Math.log(loss[i]) <= threshold) {
                points.add(new double[] {time[i], Math.log(loss[i])});
            }
        }
        if (points.size() < 2 || !(first > last)) {
            return new Fit(Double.NaN, points.size());
        }
        double mt = points.stream().mapToDouble(p -> p[0]).average().orElseThrow();
        double ml = points.stream().mapToDouble(p -> p[1]).average().orElseThrow();
        double stt = 0;
        double stl = 0;
        for (double[] p : points) {
            stt += (p[0] - mt) * (p[0] - mt);
            stl += (p[0] - mt) * (p[1] - ml);
        }
        return new Fit(stt > 0 ? -stl / stt : Double.NaN, points.size());
    }
}
