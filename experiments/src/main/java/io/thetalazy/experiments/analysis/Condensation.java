package io.thetalazy.experiments.analysis;

import static io.thetalazy.core.error.ErrorCode.INVALID_CONFIG;

import com.fasterxml.jackson.databind.JsonNode;
import io.thetalazy.core.error.FrameworkException;
import io.thetalazy.core.layer.Network;
import io.thetalazy.core.layer.Params;
import io.thetalazy.experiments.config.AnalysisSpec;
import io.thetalazy.experiments.report.OutputFolder;
import io.thetalazy.experiments.report.Plots;
import io.thetalazy.kernels.io.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Condensation [LXMZ] in two-layer networks (fcn, depth 1): per neuron k, its orientation, the angle of its input
 * weight w_k = (w_k1, w_k2) (the bias coordinate included as the data has it: for {@code lxmz} and {@code sphere} the
 * last input column), and its amplitude |a_k| |w_k| (a_k its readout weight), in raw parameters at initialization
 * and at the end of training: LXMZ's scatter (angle on x, amplitude on y, init and final in two colours), one PNG per
 * selected cell. With the antisymmetric option both copies' neurons are drawn. When the inputs are one feature and a
 * constant bias coordinate, the learned function on a grid of that feature is drawn too (the network at init and at
 * the end, the training points).
 *
 * <p>Setting {@code widths}: the widths drawn (a list); default the smallest width of each group of cells differing
 * only in width and seed. Of each group and width one cell is drawn: the finished one with the smallest seed.
 */
final class Condensation implements Analysis {
    static final String FOLDER = "condensation";
    static final String TABLE = "condensation.csv";
    /** The grid of the learned function. */
    static final int GRID = 201;

    private final Set<Integer> widths;

    Condensation(Set<Integer> widths) {
        this.widths = widths;
    }

    static Condensation of(AnalysisSpec spec) {
        JsonNode value = spec.settings().get("widths");
        if (value == null) {
            return new Condensation(Set.of());
        }
        List<JsonNode> items = new ArrayList<>();
        if (value.isArray()) {
            value.forEach(items::add);
        } else {
            items.add(value);
        }
        Set<Integer> chosen = new TreeSet<>();
        for (JsonNode item : items) {
            if (!item.canConvertToInt() || !item.isIntegralNumber() || item.asInt() < 1) {
                throw new FrameworkException(INVALID_CONFIG, ("analysis condensation: widths must be a list of "
                        + "positive integers, found %s").formatted(value));
            }
            chosen.add(item.asInt());
        }
        return new Condensation(chosen);
    }

    /**
     * One neuron's orientation and amplitude at init and at the end.
     *
     * @param copy 0, or 1 for the antisymmetric copy
     */
    record Neuron(int index, int copy, double angleInit, double amplitudeInit, double angleFinal,
            double amplitudeFinal) {}

    @Override
    public Section run(Context context) {
        CellNotes notes = new CellNotes();
        Path folder = context.folder().resolve(FOLDER);
        clear(folder);
        StringBuilder csv = new StringBuilder("group,cell,width,seed,status,neurons,topShareInit,topShareFinal,"
                + "scatter,function\n");
        StringBuilder md = new StringBuilder()
                .append("Two-layer networks [LXMZ]: per neuron k the orientation of its input weight w_k (the angle ")
                .append("atan2(w_k2, w_k1), the second input coordinate being the bias coordinate of lxmz and sphere ")
                .append("data) against its amplitude |a_k| |w_k| (raw parameters), at initialization and at the end ")
                .append("of training. In the linear regime the cloud barely moves; in the condensed regime the ")
                .append("amplitude gathers on a few orientations. The top-decile share is the fraction of the total ")
                .append("amplitude carried by the 10% largest neurons (about 0.33 for Gaussian weights in two input ")
                .append("coordinates, near 1 when condensed; hidden-layer biases are not part of w_k).\n\n");
        StringBuilder table = new StringBuilder("| group | width | seed | status | top-decile share init -> final | "
                + "figures |\n|---|---|---|---|---|---|\n");
        StringBuilder figures = new StringBuilder();
        List<String> files = new ArrayList<>();
        for (WidthScaling.Group group : context.widthGroups()) {
            Set<Integer> groupWidths = new TreeSet<>();
            group.members().forEach(m -> groupWidths.add(m.cell().config().width()));
            Set<Integer> chosen = new TreeSet<>(widths);
            if (chosen.isEmpty() && !groupWidths.isEmpty()) {
                chosen.add(groupWidths.iterator().next());
            }
            for (int width : chosen) {
                List<WidthScaling.Member> candidates = group.members().stream()
                        .filter(m -> m.cell().config().width() == width)
                        .sorted(Comparator.comparingLong(m -> m.cell().config().seed())).toList();
                if (candidates.isEmpty()) {
                    continue;   // the group has no cell of that width
                }
                WidthScaling.Member member = candidates.stream()
                        .filter(m -> CellInputs.unusable(m.result()) == null).findFirst().orElse(null);
                if (member == null) {
                    notes.skip(CellInputs.unusable(candidates.get(0).result()));
                    continue;
                }
                if (!member.cell().config().architecture().equals("fcn") || member.cell().config().depth() != 1) {
                    notes.problem(member.cell(), "not a two-layer network (architecture %s, depth %d): condensation "
                            .formatted(member.cell().config().architecture(), member.cell().config().depth())
                            + "is drawn for fcn of depth 1");
                    continue;
                }
                try {
                    CellInputs.Loaded cell = CellInputs.load(context, member.cell());
                    if (cell.x().rank() != 2 || cell.x().size(1) != 2) {
                        notes.problem(member.cell(), ("the inputs have shape %s: the orientation is one angle only for "
                                + "inputs of two coordinates (one feature and the bias coordinate)")
                                .formatted(Arrays.toString(cell.x().shape())));
                        continue;
                    }
                    Params init = cell.init();
                    Params last = cell.last();
                    List<Neuron> neurons = neurons(cell.network(), init, last);
                    String id = member.cell().id();
                    String scatter = FOLDER + "/" + id + "-scatter.png";
                    StringBuilder rows = new StringBuilder("neuron,copy,angleInit,amplitudeInit,angleFinal,"
                            + "amplitudeFinal\n");
                    for (Neuron n : neurons) {
                        rows.append("%d,%d,%s,%s,%s,%s%n".formatted(n.index(), n.copy(), Tables.number(n.angleInit()),
                                Tables.number(n.amplitudeInit()), Tables.number(n.angleFinal()),
                                Tables.number(n.amplitudeFinal())));
                    }
                    String neuronsCsv = FOLDER + "/" + id + "-neurons.csv";
                    AtomicFiles.writeString(context.folder().resolve(neuronsCsv), rows.toString());
                    files.add(neuronsCsv);
                    String title = "%s, m = %d, seed %d".formatted(group.label(), width, member.cell().config().seed());
                    Plots.scatter(context.folder().resolve(scatter), "Neurons: " + title, "orientation (rad)",
                            "amplitude |a_k| |w_k|", List.of(
                                    new Plots.Points("initialization", neurons.stream().mapToDouble(Neuron::angleInit)
                                            .toArray(), neurons.stream().mapToDouble(Neuron::amplitudeInit).toArray(),
                                            false),
                                    new Plots.Points("end of training", neurons.stream()
                                            .mapToDouble(Neuron::angleFinal).toArray(), neurons.stream()
                                            .mapToDouble(Neuron::amplitudeFinal).toArray(), false)));
                    List<String> links = new ArrayList<>();
                    if (Files.exists(context.folder().resolve(scatter))) {
                        files.add(scatter);
                        links.add("[scatter](%s)".formatted(scatter));
                        figures.append("![condensation scatter, %s](%s)\n\n".formatted(title, scatter));
                    }
                    String function = "";
                    if (hasBiasColumn(cell.x())) {
                        function = FOLDER + "/" + id + "-function.png";
                        String functionCsv = FOLDER + "/" + id + "-function.csv";
                        learnedFunction(context.folder(), function, functionCsv, cell, init, last, title);
                        files.add(functionCsv);
                        if (Files.exists(context.folder().resolve(function))) {
                            files.add(function);
                            links.add("[function](%s)".formatted(function));
                            figures.append("![learned function, %s](%s)\n\n".formatted(title, function));
                        } else {
                            function = "";
                        }
                    }
                    double shareInit = topShare(neurons.stream().mapToDouble(Neuron::amplitudeInit).toArray());
                    double shareFinal = topShare(neurons.stream().mapToDouble(Neuron::amplitudeFinal).toArray());
                    csv.append("%s,%s,%d,%d,%s,%d,%s,%s,%s,%s%n".formatted(Tables.csvField(group.label()), id, width,
                            member.cell().config().seed(), member.result().status(), neurons.size(),
                            Tables.number(shareInit), Tables.number(shareFinal),
                            Files.exists(context.folder().resolve(scatter)) ? scatter : "", function));
                    table.append("| %s | %d | %d | %s | %.3f -> %.3f | %s |\n".formatted(group.label(), width,
                            member.cell().config().seed(), member.result().status(), shareInit, shareFinal,
                            String.join(", ", links)));
                    notes.analysed();
                } catch (RuntimeException e) {
                    notes.problem(member.cell(), CellInputs.reason(e));
                }
            }
        }
        AtomicFiles.writeString(context.folder().resolve(TABLE), csv.toString());
        files.add(0, TABLE);
        md.append(notes.markdown());
        if (notes.analysedCount() > 0) {
            md.append(table).append('\n').append(figures);
        }
        md.append("Per cell: %s; per neuron: %s/<cell>-neurons.csv; learned functions: %s/<cell>-function.csv.\n"
                .formatted(TABLE, FOLDER, FOLDER));
        return new Section("Condensation", md.toString(), files);
    }

    /** Orientation and amplitude of every neuron of a two-layer network, both copies with the antisymmetric option. */
    static List<Neuron> neurons(Network network, Params init, Params last) {
        String input = network.trainables().get(0).name();
        String readout = network.trainables().get(1).name();
        List<Neuron> neurons = new ArrayList<>();
        List<String> suffixes = network.antisymmetric() ? List.of("", Network.MIRROR) : List.of("");
        for (int copy = 0; copy < suffixes.size(); copy++) {
            String suffix = suffixes.get(copy);
            double[][] w0 = init.get(input + suffix).toDoubleMatrix();
            double[][] w1 = last.get(input + suffix).toDoubleMatrix();
            double[] a0 = init.get(readout + suffix).reshape(-1).toDoubleVector();
            double[] a1 = last.get(readout + suffix).reshape(-1).toDoubleVector();
            for (int k = 0; k < w0.length; k++) {
                neurons.add(new Neuron(k, copy, angle(w0[k]), Math.abs(a0[k]) * norm(w0[k]), angle(w1[k]),
                        Math.abs(a1[k]) * norm(w1[k])));
            }
        }
        return neurons;
    }

    /** atan2(w_2, w_1) in (-pi, pi]. */
    static double angle(double[] w) {
        return Math.atan2(w[1], w[0]);
    }

    private static double norm(double[] w) {
        double sum = 0;
        for (double v : w) {
            sum += v * v;
        }
        return Math.sqrt(sum);
    }

    /** The share of the total carried by the largest tenth (at least one) of the values. */
    static double topShare(double[] amplitudes) {
        double[] sorted = amplitudes.clone();
        Arrays.sort(sorted);
        int top = Math.max(1, (int) Math.round(sorted.length / 10.0));
        double total = 0;
        double largest = 0;
        for (int i = 0; i < sorted.length; i++) {
            total += sorted[i];
            if (i >= sorted.length - top) {
                largest += sorted[i];
            }
        }
        return total > 0 ? largest / total : Double.NaN;
    }

    /** Two columns, the last constant over the training inputs (the bias coordinate). */
    static boolean hasBiasColumn(INDArray x) {
        if (x.rank() != 2 || x.size(1) != 2) {
            return false;
        }
        double[][] rows = x.toDoubleMatrix();
        return Arrays.stream(rows).allMatch(r -> r[1] == rows[0][1]) && Arrays.stream(rows)
                .mapToDouble(r -> r[0]).distinct().count() > 1;
    }

    /** The grid over the feature's range widened by half of it on each side, the bias coordinate kept. */
    static INDArray grid(INDArray x) {
        double[][] rows = x.toDoubleMatrix();
        double low = Arrays.stream(rows).mapToDouble(r -> r[0]).min().orElseThrow();
        double high = Arrays.stream(rows).mapToDouble(r -> r[0]).max().orElseThrow();
        double span = high - low;
        double[][] grid = new double[GRID][2];
        for (int i = 0; i < GRID; i++) {
            grid[i][0] = low - span / 2 + 2 * span * i / (GRID - 1);
            grid[i][1] = rows[0][1];
        }
        return Nd4j.create(grid);
    }

    private static void learnedFunction(Path experiment, String png, String csvFile, CellInputs.Loaded cell,
            Params init, Params last, String title) {
        INDArray grid = grid(cell.x());
        double[] xs = grid.getColumn(0).toDoubleVector();
        double[] before = cell.network().apply(init, grid).reshape(-1).toDoubleVector();
        double[] after = cell.network().apply(last, grid).reshape(-1).toDoubleVector();
        StringBuilder csv = new StringBuilder("x,fInit,fFinal\n");
        for (int i = 0; i < xs.length; i++) {
            csv.append("%s,%s,%s%n".formatted(Tables.number(xs[i]), Tables.number(before[i]), Tables.number(after[i])));
        }
        AtomicFiles.writeString(experiment.resolve(csvFile), csv.toString());
        Plots.scatter(experiment.resolve(png), "Learned function: " + title, "x", "f(x)", List.of(
                new Plots.Points("initialization", xs, before, true),
                new Plots.Points("end of training", xs, after, true),
                new Plots.Points("training points", cell.x().getColumn(0).toDoubleVector(),
                        cell.y().reshape(-1).toDoubleVector(), false)));
    }

    /** Removes an earlier report's files, so a rebuilt report shows no stale figure. */
    private static void clear(Path folder) {
        if (!Files.isDirectory(folder)) {
            return;
        }
        try (Stream<Path> files = Files.list(folder)) {
            for (Path file : files.toList()) {
                if (Files.isRegularFile(file)) {
                    Files.delete(file);
                }
            }
        } catch (IOException e) {
            throw new FrameworkException(io.thetalazy.core.error.ErrorCode.INVALID_FILE, "cannot replace %s: %s"
                    .formatted(folder, OutputFolder.reason(e)), e);
        }
    }
}
