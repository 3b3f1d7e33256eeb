package io.thetalazy.experiments.analysis;

import static io.thetalazy.core.error.ErrorCode.INVALID_CONFIG;
import static io.thetalazy.core.error.ErrorCode.INVALID_KERNEL;

import com.fasterxml.jackson.databind.JsonNode;
import io.thetalazy.core.error.FrameworkException;
import io.thetalazy.core.layer.Network;
import io.thetalazy.core.layer.Params;
import io.thetalazy.core.param.Parametrization;
import io.thetalazy.experiments.config.AnalysisSpec;
import io.thetalazy.experiments.config.Cell;
import io.thetalazy.experiments.config.Named;
import io.thetalazy.experiments.config.RunConfig;
import io.thetalazy.experiments.data.DataSources;
import io.thetalazy.experiments.data.Dataset;
import io.thetalazy.experiments.report.Plots;
import io.thetalazy.kernels.io.AtomicFiles;
import io.thetalazy.kernels.limit.LimitKernels;
import io.thetalazy.kernels.predict.LinearizedDynamics;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeMap;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Generalization against kappa: on a held-out set drawn from the cell's data source, the mean squared error
 * mean((f - y)^2) of the trained network (params/final) and of its kernel predictors, built from the infinite-width
 * training kernel Theta = (kappa^2 / m) sum_l mu_l K^[l] at the cell's kappa and mobilities and the network's output
 * f0 at initialization (0 with the antisymmetric option):
 * <ul>
 *   <li>kernel regression, the end point of the linearized dynamics: f(x) = f0(x) + Theta(x, X) Theta(X, X)^{-1}
 *       (y - f0(X));</li>
 *   <li>the linearized model at the trained time T (the {@code time} of metrics.csv's last row, the sum of the steps
 *       taken), under gradient flow: f(x) = f0(x) - Theta(x, X) Theta(X, X)^{-1} (I - exp(-T Theta(X, X) / n))
 *       (f0(X) - y).</li>
 * </ul>
 * In the lazy area the network and its kernel predictors agree; outside it they part.
 *
 * <p>Cells are grouped by every axis except {@code seed} and the scaling rule's ({@code rule}, {@code rule.*}), which
 * are what move kappa at a fixed width: a group is one width (and the other fixed settings), its points the values
 * of kappa, seeds averaged over the converged cells.
 *
 * <p>Held-out data by data source (setting {@code heldOut}, the number of points, default {@value #DEFAULT_POINTS}):
 * {@code lxmz}, whose four points are fixed, a grid of midpoints over [-1/2, 1/2] with the bias coordinate 1 and y =
 * x^2, the function the set samples; {@code sphere}, the next points of the same draw (the data seed fixes the
 * teacher, so another seed would be another target): the set is drawn with n + heldOut points, its first n must be
 * the training inputs, and the centred neuron teacher's targets are shifted back to the training set's centring;
 * {@code fashion-mnist}, images of the other split (test for a train-split set) drawn with the cell's seed,
 * ceil(heldOut / classes) per class; {@code npy} and {@code csv} have no held-out data (noted in the section).
 */
final class Generalization implements Analysis {
    static final String CELLS = "generalization.csv";
    static final String FIGURE = "generalization-vs-kappa.png";
    static final String GAP_FIGURE = "generalization-gap-vs-kappa.png";
    static final int DEFAULT_POINTS = 64;

    private final int points;

    Generalization(int points) {
        this.points = points;
    }

    static Generalization of(AnalysisSpec spec) {
        JsonNode value = spec.settings().get("heldOut");
        if (value == null) {
            return new Generalization(DEFAULT_POINTS);
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt() || value.asInt() < 1) {
            throw new FrameworkException(INVALID_CONFIG, "analysis generalization: heldOut must be a positive number "
                    + "of points, found " + value);
        }
        return new Generalization(value.asInt());
    }

    /** Held-out inputs and targets, and how they were made. */
    record HeldOut(INDArray x, INDArray y, String how) {}

    /**
     * One cell's errors.
     *
     * @param linearized NaN when the cell has no recorded time
     * @param gap rms(f_network - f_kernel) / rms(y) on the held-out set
     * @param gapLinearized rms(f_network - f_linearized) / rms(y), NaN without a recorded time
     */
    record Errors(double kappa, String regime, double network, double kernel, double linearized, double gap,
            double gapLinearized, double time) {}

    @Override
    public Section run(Context context) {
        CellNotes notes = new CellNotes();
        StringBuilder csv = new StringBuilder("group,cell,width,seed,status,kappa,regime,heldOut,mseNetwork,mseKernel,"
                + "mseLinearized,gap,gapLinearized,time\n");
        Map<String, Map<Double, List<Errors>>> groups = new LinkedHashMap<>();   // group -> kappa -> converged cells
        Map<String, String> held = new LinkedHashMap<>();   // how, once per data set
        for (Map.Entry<Cell, io.thetalazy.experiments.sweep.CellResult> entry : context.results().entrySet()) {
            Cell cell = entry.getKey();
            String skip = CellInputs.unusable(entry.getValue());
            if (skip != null) {
                notes.skip(skip);
                continue;
            }
            String group = group(cell, context.experiment().labels());
            Errors errors;
            int count;
            try {
                CellInputs.Loaded loaded = CellInputs.load(context, cell);
                HeldOut test = heldOut(cell.config(), loaded.x(), loaded.y(), points, context.folder());
                held.putIfAbsent(cell.config().data().name(), test.how());
                count = (int) test.x().size(0);
                errors = errors(loaded.network(), loaded.init(), loaded.last(), loaded.x(), loaded.y(), test,
                        CellInputs.finalTime(loaded.folder()));
            } catch (RuntimeException e) {
                notes.problem(cell, CellInputs.reason(e));
                continue;
            }
            notes.analysed();
            csv.append("%s,%s,%d,%d,%s,%s,%s,%d,%s,%s,%s,%s,%s,%s%n".formatted(Tables.csvField(group), cell.id(),
                    cell.config().width(), cell.config().seed(), entry.getValue().status(),
                    Tables.number(errors.kappa()), errors.regime(), count, Tables.number(errors.network()),
                    Tables.number(errors.kernel()), Tables.number(errors.linearized()), Tables.number(errors.gap()),
                    Tables.number(errors.gapLinearized()), Tables.number(errors.time())));
            Map<Double, List<Errors>> byKappa = groups.computeIfAbsent(group, k -> new LinkedHashMap<>());
            if (entry.getValue().converged()) {
                byKappa.computeIfAbsent(errors.kappa(), k -> new ArrayList<>()).add(errors);
            }
        }
        AtomicFiles.writeString(context.folder().resolve(CELLS), csv.toString());
        StringBuilder md = new StringBuilder()
                .append("On a held-out set, the mean squared error mean((f - y)^2) of the trained network and of its ")
                .append("kernel predictors, with the infinite-width training kernel Theta = (kappa^2/m) sum_l mu_l ")
                .append("K^[l] at the cell's kappa and mobilities and f0 the network at initialization: kernel ")
                .append("regression f0(x) + Theta(x, X) Theta(X, X)^-1 (y - f0(X)) (the end point of the linearized ")
                .append("dynamics, which depends on kappa only through the mobilities), and the linearized model at ")
                .append("the trained time T (the sum of the steps taken) under gradient flow. The gaps are ")
                .append("rms(f_network - f_predictor) / rms(y) on the held-out set. In the lazy area the network ")
                .append("follows its linearized model (both gaps fall with width); outside it they part. A group holds ")
                .append("the cells that differ only in the scaling rule's settings (which move kappa) and seed; rows ")
                .append("average the seeds of the converged cells.\n\n");
        held.forEach((data, how) -> md.append("Held-out data (%s): %s.\n\n".formatted(data, how)));
        md.append(notes.markdown());
        Map<String, List<double[]>> errorFigure = new LinkedHashMap<>();
        Map<String, List<double[]>> gapFigure = new LinkedHashMap<>();
        if (groups.values().stream().anyMatch(g -> !g.isEmpty())) {
            md.append("| group | kappa | regime (card) | cells | MSE network | MSE kernel regression | MSE linearized "
                    + "at T | gap to kernel regression | gap to linearized at T |\n|---|---|---|---|---|---|---|---|---|\n");
            groups.forEach((group, byKappa) -> {
                if (byKappa.isEmpty()) {
                    return;   // no converged cell
                }
                TreeMap<Double, List<Errors>> sorted = new TreeMap<>(byKappa);
                int size = sorted.size();
                double[] kappas = new double[size];
                double[] network = new double[size];
                double[] kernel = new double[size];
                double[] gap = new double[size];
                double[] gapLinearized = new double[size];
                int i = 0;
                for (Map.Entry<Double, List<Errors>> row : sorted.entrySet()) {
                    List<Errors> cells = row.getValue();
                    kappas[i] = row.getKey();
                    network[i] = mean(cells.stream().mapToDouble(Errors::network).toArray());
                    kernel[i] = mean(cells.stream().mapToDouble(Errors::kernel).toArray());
                    gap[i] = mean(cells.stream().mapToDouble(Errors::gap).toArray());
                    gapLinearized[i] = mean(cells.stream().mapToDouble(Errors::gapLinearized).toArray());
                    md.append("| %s | %.4g | %s | %d | %.4g | %.4g | %.4g | %.3g | %.3g |\n".formatted(group,
                            row.getKey(), cells.get(0).regime(), cells.size(), network[i], kernel[i],
                            mean(cells.stream().mapToDouble(Errors::linearized).toArray()), gap[i],
                            gapLinearized[i]));
                    i++;
                }
                errorFigure.put("network, " + group, List.of(kappas, network));
                errorFigure.put("kernel regression, " + group, List.of(kappas, kernel));
                gapFigure.put("to kernel regression, " + group, List.of(kappas, gap));
                gapFigure.put("to linearized at T, " + group, List.of(kappas, gapLinearized));
            });
            md.append('\n');
        }
        md.append("Per cell: %s.\n\n".formatted(CELLS));
        List<String> files = new ArrayList<>(List.of(CELLS));
        Path errors = context.folder().resolve(FIGURE);
        Tables.delete(errors);
        if (CellNotes.drawn(md, FIGURE, () -> {
            Plots.lines(errors, "Held-out error against kappa", "kappa", "held-out MSE", errorFigure, true, false, true);
            return java.nio.file.Files.exists(errors);
        })) {
            md.append("![held-out error against kappa](%s)\n\n".formatted(FIGURE));
            files.add(FIGURE);
        }
        Path gaps = context.folder().resolve(GAP_FIGURE);
        Tables.delete(gaps);
        if (CellNotes.drawn(md, GAP_FIGURE, () -> {
            Plots.lines(gaps, "Network against its kernel predictors on the held-out set", "kappa",
                    "rms(f_network - f_predictor) / rms(y)", gapFigure, true, true, true);
            return java.nio.file.Files.exists(gaps);
        })) {
            md.append("![gap between network and kernel predictors against kappa](%s)\n".formatted(GAP_FIGURE));
            files.add(GAP_FIGURE);
        }
        return new Section("Generalization against kappa", md.toString(), files);
    }

    /** The label of a cell's group: its axis values but seed and the rule's, or {@code all}. */
    static String group(Cell cell, Map<String, String> labels) {
        Map<String, String> values = new java.util.LinkedHashMap<>(cell.axes());
        values.keySet().removeIf(path -> path.equals("seed") || path.equals("rule") || path.startsWith("rule."));
        return Cell.describe(values, labels);
    }

    /** The errors of one cell's trained network and kernel predictors on a held-out set. */
    static Errors errors(Network network, Params init, Params last, INDArray x, INDArray y, HeldOut test,
            OptionalDouble time) {
        Parametrization parametrization = Parametrization.of(network);
        LimitKernels limits = LimitKernels.of(network);
        INDArray train = limits.compute(x).trainingKernel();
        INDArray cross = limits.compute(test.x(), x).trainingKernel();
        INDArray f0Train = network.apply(init, x);
        INDArray f0Test = network.apply(init, test.x());
        INDArray coefficients;
        try {
            coefficients = LinearizedDynamics.ridgeCoefficients(train, y.sub(f0Train), 0);
        } catch (FrameworkException e) {
            if (e.errorCode() != INVALID_KERNEL) {
                throw e;
            }
            throw new FrameworkException(INVALID_KERNEL, "the limit training kernel is singular on the "
                    + "training inputs: " + e.getMessage(), e);
        }
        INDArray kernel = f0Test.add(LinearizedDynamics.ridgePredictions(cross, coefficients));
        INDArray trained = network.apply(last, test.x());
        double scale = Math.sqrt(mse(Nd4j.zerosLike(test.y()), test.y()));
        double linearized = Double.NaN;
        double gapLinearized = Double.NaN;
        if (time.isPresent()) {
            INDArray lin = LinearizedDynamics.of(train, 1).flowTestOutputs(f0Test, cross, f0Train.sub(y),
                    time.getAsDouble());
            linearized = mse(lin, test.y());
            gapLinearized = Math.sqrt(mse(trained, lin)) / scale;
        }
        double gap = Math.sqrt(mse(trained, kernel)) / scale;
        return new Errors(parametrization.kappa().value(), parametrization.regime().label(), mse(trained, test.y()),
                mse(kernel, test.y()), linearized, gap, gapLinearized, time.orElse(Double.NaN));
    }

    static double mse(INDArray f, INDArray y) {
        double[] a = f.reshape(-1).toDoubleVector();
        double[] b = y.reshape(-1).toDoubleVector();
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += (a[i] - b[i]) * (a[i] - b[i]);
        }
        return sum / a.length;
    }

    private static double mean(double[] values) {
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        return values.length == 0 ? Double.NaN : sum / values.length;
    }

    /**
     * Held-out points from a cell's data source (see the class comment); an {@link IllegalArgumentException} with the
     * reason when the source cannot give any.
     *
     * @param base where relative data paths start
     */
    static HeldOut heldOut(RunConfig config, INDArray x, INDArray y, int count, Path base) {
        Named data = config.data();
        switch (data.name()) {
            case "lxmz" -> {
                double[][] inputs = new double[count][2];
                double[][] targets = new double[count][1];
                for (int i = 0; i < count; i++) {
                    double value = -0.5 + (i + 0.5) / count;
                    inputs[i][0] = value;
                    inputs[i][1] = 1;
                    targets[i][0] = value * value;
                }
                return new HeldOut(Nd4j.create(inputs), Nd4j.create(targets), ("%d midpoints of a grid over [-1/2, "
                        + "1/2] with the bias coordinate 1, y = x^2").formatted(count));
            }
            case "sphere" -> {
                long n = x.size(0);
                Map<String, Object> parameters = new LinkedHashMap<>(data.parameters());
                parameters.put("n", (int) n + count);
                Dataset all = DataSources.load(new Named("sphere", parameters), base, config.seed());
                INDArray head = all.x().get(NDArrayIndex.interval(0, n), NDArrayIndex.all());
                if (head.distance2(x) > 1e-12 * Math.max(1, x.norm2Number().doubleValue())) {
                    throw new IllegalArgumentException("the sphere data drawn again does not start with the training "
                            + "inputs: no held-out data");
                }
                INDArray shift = all.y().get(NDArrayIndex.interval(0, n), NDArrayIndex.all()).sub(y);
                double offset = shift.meanNumber().doubleValue();
                INDArray testY = all.y().get(NDArrayIndex.interval(n, n + count), NDArrayIndex.all()).sub(offset);
                return new HeldOut(all.x().get(NDArrayIndex.interval(n, n + count), NDArrayIndex.all()).dup(),
                        testY.dup(), "the next %d points of the same draw (same teacher)".formatted(count));
            }
            case "fashion-mnist" -> {
                Map<String, Object> parameters = new LinkedHashMap<>(data.parameters());
                String split = String.valueOf(parameters.getOrDefault("split", "train"));
                String other = split.equals("test") ? "train" : "test";
                parameters.put("split", other);
                Object classes = parameters.get("classes");
                int classCount = classes instanceof List<?> list && !list.isEmpty() ? list.size() : 2;
                int perClass = (count + classCount - 1) / classCount;
                parameters.put("perClass", perClass);
                Dataset set = DataSources.load(new Named("fashion-mnist", parameters), base, config.seed());
                return new HeldOut(set.x(), set.y(), "%d images per class of the %s split".formatted(perClass,
                        other));
            }
            default -> throw new IllegalArgumentException(("data source '%s' is a fixed set of points: no held-out "
                    + "data").formatted(data.name()));
        }
    }
}
