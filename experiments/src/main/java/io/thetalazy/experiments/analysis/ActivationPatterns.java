package io.thetalazy.experiments.analysis;

import io.thetalazy.core.layer.ActivationLayer;
import io.thetalazy.core.layer.Layer;
import io.thetalazy.core.layer.Network;
import io.thetalazy.core.layer.Params;
import io.thetalazy.core.layer.Residual;
import io.thetalazy.core.layer.Serial;
import io.thetalazy.core.layer.Tape;
import io.thetalazy.core.layer.TrainableLayer;
import io.thetalazy.experiments.report.Plots;
import io.thetalazy.kernels.io.AtomicFiles;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Activation patterns: per hidden activation layer, the fraction of units whose on/off pattern over the training
 * inputs changed between initialization and the end of training. A unit is one entry of the pre-activation h of a
 * sample (a neuron of a dense layer; a channel at one position of a convolution), on where h > 0; its pattern is the
 * vector of on/off over the n training inputs, and it changed when any entry differs between params/init and
 * params/final. With the antisymmetric option both copies' units count. A lazy network keeps almost all patterns.
 *
 * <p>The pre-activations are read by walking the network's layer tree ({@link Serial}, {@link Residual}, {@link
 * ActivationLayer}; any other layer is applied as a whole), so fcn, cnn and resnet are covered; the walk's output is
 * checked against {@link Network#apply}, and a cell whose network the walk does not reproduce is noted, not analysed.
 */
final class ActivationPatterns implements Analysis {
    static final String CELLS = "activation-patterns.csv";
    static final String SLOPES = "activation-patterns-slopes.csv";
    static final String FIGURE = "activation-patterns-vs-width.png";

    /**
     * One hidden activation layer's change.
     *
     * @param layer the name of the trainable layer whose output it activates ({@code dense-2})
     * @param units units counted (both copies with the antisymmetric option)
     */
    record LayerChange(String layer, long units, long changed) {
        double fraction() {
            return units == 0 ? Double.NaN : (double) changed / units;
        }
    }

    /** The pre-activations of every activation layer, input side first, with the layer each follows. */
    record PreActivations(List<String> layers, List<INDArray> values, INDArray output) {}

    @Override
    public Section run(Context context) {
        CellNotes notes = new CellNotes();
        StringBuilder csv = new StringBuilder("group,cell,width,seed,status,layer,units,changed,fraction\n");
        StringBuilder slopes = new StringBuilder("group,layer,slope,standardError,points,leftOut\n");
        StringBuilder table = new StringBuilder("| group | layer | fraction changed, by width (mean over seeds) | slope "
                + "| cells in the fit |\n|---|---|---|---|---|\n");
        List<Plots.FitSeries> figure = new ArrayList<>();
        java.util.Set<String> activations = new java.util.TreeSet<>();
        for (WidthScaling.Group group : context.widthGroups()) {
            Map<String, List<double[]>> byLayer = new LinkedHashMap<>();   // layer -> (width, fraction, converged)
            for (WidthScaling.Member member : group.members()) {
                String skip = CellInputs.unusable(member.result());
                if (skip != null) {
                    notes.skip(skip);
                    continue;
                }
                List<LayerChange> changes;
                try {
                    CellInputs.Loaded cell = CellInputs.load(context, member.cell());
                    activations.add(cell.config().activation().name());
                    changes = changes(cell.network(), cell.init(), cell.last(), cell.x());
                } catch (RuntimeException e) {
                    notes.problem(member.cell(), CellInputs.reason(e));
                    continue;
                }
                if (changes.isEmpty()) {
                    notes.problem(member.cell(), "the network has no activation layer");
                    continue;
                }
                notes.analysed();
                int width = member.cell().config().width();
                for (LayerChange change : changes) {
                    csv.append("%s,%s,%d,%d,%s,%s,%d,%d,%s%n".formatted(Tables.csvField(group.label()),
                            member.cell().id(), width, member.cell().config().seed(), member.result().status(),
                            change.layer(), change.units(), change.changed(), Tables.number(change.fraction())));
                    byLayer.computeIfAbsent(change.layer(), k -> new ArrayList<>()).add(new double[] {width,
                        change.fraction(), member.result().converged() ? 1 : 0});
                }
            }
            byLayer.forEach((layer, points) -> {
                double[] widths = points.stream().mapToDouble(p -> p[0]).toArray();
                double[] fractions = points.stream().mapToDouble(p -> p[1]).toArray();
                boolean[] converged = new boolean[points.size()];
                for (int i = 0; i < converged.length; i++) {
                    converged[i] = points.get(i)[2] > 0;
                }
                WidthScaling.Fit fit = CellNotes.fit("fraction-" + layer, widths, fractions, converged);
                slopes.append("%s,%s,%s,%s,%d,%d%n".formatted(Tables.csvField(group.label()), layer,
                        fit.fit().map(f -> Tables.number(f.slope())).orElse(""),
                        fit.fit().map(f -> Tables.number(f.standardError())).orElse(""), fit.used(), fit.leftOut()));
                table.append("| %s | %s | %s | %s | %d%s |\n".formatted(group.label(), layer,
                        CellNotes.byWidth(widths, fractions), fit.text(), fit.used(),
                        fit.leftOut() > 0 ? " (%d left out)".formatted(fit.leftOut()) : ""));
                double[] shown = new double[fractions.length];
                for (int i = 0; i < shown.length; i++) {
                    shown[i] = converged[i] ? fractions[i] : Double.NaN;
                }
                figure.add(new Plots.FitSeries(group.label() + ", " + layer, widths, shown, fit.fit().orElse(null)));
            });
        }
        AtomicFiles.writeString(context.folder().resolve(CELLS), csv.toString());
        AtomicFiles.writeString(context.folder().resolve(SLOPES), slopes.toString());
        StringBuilder md = new StringBuilder()
                .append("Per hidden activation layer, the fraction of units whose on/off pattern over the training ")
                .append("inputs changed between initialization and the end of training (a unit is on where its ")
                .append("pre-activation is positive; a neuron of a dense layer, a channel at one position of a ")
                .append("convolution; both antisymmetric copies count). A lazy network keeps almost all patterns, so ")
                .append("the fraction falls with width. Slopes: log fraction against log m over the converged cells ")
                .append("with a positive fraction (a cell where no pattern changed is left out of the log-log fit).");
        List<String> other = activations.stream().filter(a -> !a.equals("relu") && !a.equals("leaky-relu")).toList();
        if (!other.isEmpty()) {
            md.append(" For %s, which has no on/off state, the pattern is the sign of the pre-activation."
                    .formatted(String.join(", ", other)));
        }
        md.append("\n\n").append(notes.markdown());
        if (notes.analysedCount() > 0) {
            md.append(table).append('\n');
        }
        md.append("Per cell and layer: %s; slopes: %s.\n\n".formatted(CELLS, SLOPES));
        List<String> files = new ArrayList<>(List.of(CELLS, SLOPES));
        if (CellNotes.drawn(md, FIGURE, () -> Tables.figure(context.folder().resolve(FIGURE), "Activation patterns "
                + "changed during training against width", "width m", "fraction of units changed", figure))) {
            md.append("![activation patterns against width](%s)\n".formatted(FIGURE));
            files.add(FIGURE);
        }
        return new Section("Activation patterns", md.toString(), files);
    }

    /** Per hidden activation layer, the units whose pattern over {@code x} differs between two sets of parameters. */
    static List<LayerChange> changes(Network network, Params init, Params last, INDArray x) {
        List<PreActivations> before = copies(network, init, x);
        List<PreActivations> after = copies(network, last, x);
        List<LayerChange> changes = new ArrayList<>();
        List<String> layers = before.get(0).layers();
        for (int k = 0; k < layers.size(); k++) {
            long units = 0;
            long changed = 0;
            for (int copy = 0; copy < before.size(); copy++) {
                long[] count = changed(before.get(copy).values().get(k), after.get(copy).values().get(k));
                units += count[0];
                changed += count[1];
            }
            changes.add(new LayerChange(layers.get(k), units, changed));
        }
        return changes;
    }

    /** The pre-activations of each copy (one, or two with the antisymmetric option), the walk checked. */
    static List<PreActivations> copies(Network network, Params params, INDArray x) {
        INDArray input = x.castTo(network.dataType(params));
        List<PreActivations> copies = new ArrayList<>();
        copies.add(preActivations(network.body(), params, input));
        if (network.antisymmetric()) {
            copies.add(preActivations(network.body(), params.withSuffix(Network.MIRROR), input));
        }
        INDArray walked = network.antisymmetric()
                ? copies.get(0).output().sub(copies.get(1).output()).muli(1 / Math.sqrt(2)) : copies.get(0).output();
        INDArray expected = network.apply(params, x);
        double scale = Math.max(expected.norm2Number().doubleValue(), 1e-300);
        double difference = walked.distance2(expected);
        if (!(difference <= 1e-9 * scale) && !(difference <= 1e-12)) {
            throw new IllegalStateException(("the %s network's layers could not be walked to read its pre-activations "
                    + "(the walk's output is %.3g off, relative): architecture not covered")
                    .formatted(network.spec().architecture(), difference / scale));
        }
        return copies;
    }

    /** Walks one copy's layer tree, recording the input of every activation layer. */
    static PreActivations preActivations(Layer body, Params params, INDArray x) {
        List<String> layers = new ArrayList<>();
        List<INDArray> values = new ArrayList<>();
        String[] last = {"input"};
        INDArray output = walk(body, params, x, layers, values, last);
        return new PreActivations(layers, values, output);
    }

    private static INDArray walk(Layer layer, Params params, INDArray x, List<String> layers, List<INDArray> values,
            String[] last) {
        if (layer instanceof Serial serial) {
            INDArray h = x;
            for (Layer child : serial.layers()) {
                h = walk(child, params, h, layers, values, last);
            }
            return h;
        }
        if (layer instanceof Residual residual) {
            INDArray branch = walk(residual.branch(), params, x, layers, values, last);
            return branch.mul(residual.branchMultiplier()).addi(x);
        }
        if (layer instanceof ActivationLayer) {
            layers.add(last[0]);
            values.add(x.dup('c'));
        }
        List<TrainableLayer> trainables = layer.trainables();
        if (!trainables.isEmpty()) {
            last[0] = trainables.get(trainables.size() - 1).name();
        }
        return layer.apply(params, x, new Tape()).dup('c');
    }

    /** {units, changed}: a unit is a column of the [n, ...] arrays flattened per sample. */
    private static long[] changed(INDArray before, INDArray after) {
        long n = before.size(0);
        long units = before.length() / n;
        double[] a = before.castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).dup('c').data().asDouble();
        double[] b = after.castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).dup('c').data().asDouble();
        long changed = 0;
        for (long u = 0; u < units; u++) {
            for (long i = 0; i < n; i++) {
                int at = (int) (i * units + u);
                if (a[at] > 0 != b[at] > 0) {
                    changed++;
                    break;
                }
            }
        }
        return new long[] {units, changed};
    }
}
