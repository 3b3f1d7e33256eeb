package io.thetalazy.experiments.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.thetalazy.core.layer.Network;
import io.thetalazy.core.layer.Params;
import io.thetalazy.experiments.config.AnalysisSpec;
import io.thetalazy.experiments.config.Cell;
import io.thetalazy.experiments.config.Named;
import io.thetalazy.experiments.config.RunConfig;
import io.thetalazy.experiments.sweep.CellResult;
import io.thetalazy.experiments.sweep.RunSetup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Activation-pattern changes on networks whose parameters were changed by hand: the answer is known unit by unit. */
final class ActivationPatternsTest {
    @TempDir
    Path folder;

    /** Negates rows of a weight: those units' pre-activations change sign on every input, so their patterns change. */
    private static Params negateRows(Params params, String name, int rows) {
        INDArray w = params.get(name);
        for (int k = 0; k < rows; k++) {
            w.getRow(k).muli(-1);
        }
        return params;
    }

    @Test
    void negatedUnitsAreExactlyTheChangedOnesLayerByLayer() {
        RunSetup setup = Synthetic.setup(Synthetic.fcn(6, 2, 0.5, false, 0));
        Network network = setup.network();
        Params init = network.init(0);
        // layer 2 only: the first layer's patterns are untouched
        List<ActivationPatterns.LayerChange> second = ActivationPatterns.changes(network, init,
                negateRows(init.copy(), "dense-2", 2), setup.data().x());
        assertThat(second).extracting(ActivationPatterns.LayerChange::layer).containsExactly("dense-1", "dense-2");
        assertThat(second).extracting(ActivationPatterns.LayerChange::units).containsExactly(6L, 6L);
        assertThat(second).extracting(ActivationPatterns.LayerChange::changed).containsExactly(0L, 2L);
        assertThat(second.get(1).fraction()).isEqualTo(2 / 6.0);
        List<ActivationPatterns.LayerChange> first = ActivationPatterns.changes(network, init,
                negateRows(init.copy(), "dense-1", 3), setup.data().x());
        assertThat(first.get(0).changed()).isEqualTo(3);
        assertThat(ActivationPatterns.changes(network, init, init, setup.data().x()))
                .extracting(ActivationPatterns.LayerChange::changed).containsOnly(0L);
    }

    @Test
    void bothAntisymmetricCopiesCount() {
        RunSetup setup = Synthetic.setup(Synthetic.fcn(5, 1, 0.5, true, 1));
        Network network = setup.network();
        Params init = network.init(1);
        List<ActivationPatterns.LayerChange> changes = ActivationPatterns.changes(network, init,
                negateRows(init.copy(), "dense-1-mirror", 1), setup.data().x());
        assertThat(changes).hasSize(1);
        assertThat(changes.get(0).units()).isEqualTo(10);
        assertThat(changes.get(0).changed()).isEqualTo(1);
    }

    @Test
    void residualAndConvolutionalNetworksAreWalkedToTheirOutput() {
        RunConfig resnet = Synthetic.config("resnet", 4, 5, "relu", false, 0.5, Named.of("lxmz"), 0);
        RunSetup setup = Synthetic.setup(resnet);
        Params init = setup.network().init(0);
        List<ActivationPatterns.LayerChange> blocks = ActivationPatterns.changes(setup.network(), init,
                negateRows(init.copy(), "dense-4", 1), setup.data().x());
        assertThat(blocks).extracting(ActivationPatterns.LayerChange::layer).containsExactly("dense-2", "dense-4");
        assertThat(blocks).extracting(ActivationPatterns.LayerChange::changed).containsExactly(0L, 1L);

        RunConfig cnn = Synthetic.config("cnn", 3, 2, "relu", false, 0.5, Named.of("lxmz"), 0);
        Path x = folder.resolve("x.npy");
        io.thetalazy.kernels.io.Npy.write(x, org.nd4j.linalg.factory.Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.DOUBLE,
                3, 2, 6).subi(0.5));
        io.thetalazy.kernels.io.Npy.write(folder.resolve("y.npy"), org.nd4j.linalg.factory.Nd4j.zeros(3, 1));
        Map<String, Object> files = new LinkedHashMap<>();
        files.put("x", "x.npy");
        files.put("y", "y.npy");
        RunSetup conv = RunSetup.of(cnn.withData(new Named("npy", files)), Synthetic.REGISTRY, folder);
        Params convInit = conv.network().init(0);
        List<ActivationPatterns.LayerChange> channels = ActivationPatterns.changes(conv.network(), convInit,
                convInit, conv.data().x());
        assertThat(channels).extracting(ActivationPatterns.LayerChange::layer)
                .containsExactly("conv1d-1", "conv1d-2");
        assertThat(channels.get(0).units()).as("a unit is a channel at a position").isEqualTo(3L * 6);
        assertThat(channels).extracting(ActivationPatterns.LayerChange::changed).containsOnly(0L);
    }

    @Test
    void theFractionFallingLikeTheInverseSquareRootOfWidthHasSlopeMinusOneHalf() throws Exception {
        Map<Cell, CellResult> results = new LinkedHashMap<>();
        List<Cell> cells = new ArrayList<>();
        for (int width : List.of(16, 64, 256)) {
            for (long seed = 0; seed < 2; seed++) {
                Cell cell = Synthetic.cell(Synthetic.fcn(width, 1, 0.5, false, seed));
                cells.add(cell);
                results.put(cell, Synthetic.result("converged"));
            }
        }
        Cell pending = Synthetic.cell(Synthetic.fcn(32, 1, 0.5, false, 0));
        Cell failed = Synthetic.cell(Synthetic.fcn(32, 1, 0.5, false, 1));
        Cell broken = Synthetic.cell(Synthetic.fcn(128, 1, 0.5, false, 0));
        Cell unconverged = Synthetic.cell(Synthetic.fcn(512, 1, 0.5, false, 0));
        cells.addAll(List.of(pending, failed, broken, unconverged));
        results.put(pending, CellResult.pending());
        results.put(failed, CellResult.failed("boom", 1));
        results.put(broken, Synthetic.result("converged"));
        results.put(unconverged, Synthetic.result("step-budget"));
        Analysis.Context context = Synthetic.context(Synthetic.experiment(cells, List.of("width", "seed"),
                AnalysisSpec.of("activation-patterns")), results, folder);
        for (Cell cell : cells) {
            if (cell == pending || cell == failed) {
                continue;
            }
            int width = cell.config().width();
            int flipped = cell == unconverged ? width : (int) Math.round(Math.sqrt(width));
            Synthetic.write(context, cell, p -> negateRows(p, "dense-1", flipped));
        }
        Files.walk(context.cellFolder(broken).resolve("params/final")).sorted(java.util.Comparator.reverseOrder())
                .forEach(p -> p.toFile().delete());

        Analysis.Section section = Analyses.create(AnalysisSpec.of("activation-patterns")).run(context);

        assertThat(section.markdown()).contains("7 cells analysed; skipped (no result): 1 pending, 1 failed")
                .contains("cell " + broken.id()).contains("has no dense-1.npy")
                .contains("| all | dense-1 | 16: 0.250, 64: 0.125, 256: 0.0625, 512: 1.00 | -0.500 +- 0.000 | 6 "
                        + "(1 left out) |");
        List<String> slopes = Files.readAllLines(folder.resolve(ActivationPatterns.SLOPES));
        assertThat(slopes).hasSize(2);
        String[] row = slopes.get(1).split(",");
        assertThat(Double.parseDouble(row[2])).isCloseTo(-0.5, within(1e-9));
        assertThat(row[4]).isEqualTo("6");
        assertThat(row[5]).as("the unconverged cell").isEqualTo("1");
        assertThat(Files.readAllLines(folder.resolve(ActivationPatterns.CELLS))).hasSize(1 + 7);
        assertThat(section.files()).contains(ActivationPatterns.FIGURE);
        assertThat(folder.resolve(ActivationPatterns.FIGURE)).exists();
    }
}
