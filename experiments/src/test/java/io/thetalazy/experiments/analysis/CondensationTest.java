package io.thetalazy.experiments.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.thetalazy.core.layer.Params;
import io.thetalazy.experiments.config.AnalysisSpec;
import io.thetalazy.experiments.config.Cell;
import io.thetalazy.experiments.config.ConfigFiles;
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
import org.nd4j.linalg.factory.Nd4j;

/** Orientations and amplitudes of hand-set neurons, the selection of cells and the files drawn. */
final class CondensationTest {
    @TempDir
    Path folder;

    @Test
    void eachNeuronHasTheAngleOfItsInputWeightAndTheProductOfNormsAsAmplitude() {
        RunSetup setup = Synthetic.setup(Synthetic.fcn(3, 1, 0.5, true, 0));
        Params init = new Params();
        init.put("dense-1", Nd4j.create(new double[][] {{1, 0}, {0, 2}, {-3, -3}}));
        init.put("readout-2", Nd4j.create(new double[][] {{2, -1, 0.5}}));
        init.put("dense-1-mirror", init.get("dense-1").dup());
        init.put("readout-2-mirror", init.get("readout-2").dup());
        Params last = init.copy();
        last.get("dense-1").getRow(0).assign(Nd4j.create(new double[] {0, -1}));
        List<Condensation.Neuron> neurons = Condensation.neurons(setup.network(), init, last);
        assertThat(neurons).hasSize(6);
        Condensation.Neuron first = neurons.get(0);
        assertThat(first.angleInit()).isEqualTo(0);
        assertThat(first.amplitudeInit()).isEqualTo(2);
        assertThat(first.angleFinal()).isCloseTo(-Math.PI / 2, within(1e-15));
        assertThat(neurons.get(1).angleInit()).isCloseTo(Math.PI / 2, within(1e-15));
        assertThat(neurons.get(1).amplitudeInit()).isEqualTo(2);
        assertThat(neurons.get(2).angleInit()).isCloseTo(-3 * Math.PI / 4, within(1e-15));
        assertThat(neurons.get(2).amplitudeInit()).isCloseTo(0.5 * 3 * Math.sqrt(2), within(1e-15));
        assertThat(neurons.get(3).copy()).isEqualTo(1);
        assertThat(neurons.get(3).angleFinal()).as("the copy did not move").isEqualTo(0);
    }

    @Test
    void theTopDecileShareAndTheGridAreKnown() {
        double[] values = new double[20];
        for (int i = 0; i < 20; i++) {
            values[i] = i + 1;
        }
        assertThat(Condensation.topShare(values)).isCloseTo((19 + 20) / 210.0, within(1e-15));
        assertThat(Condensation.topShare(new double[] {0, 0, 5})).isEqualTo(1);
        var x = io.thetalazy.experiments.data.DataSources.lxmz().x();
        assertThat(Condensation.hasBiasColumn(x)).isTrue();
        var grid = Condensation.grid(x);
        assertThat(grid.getDouble(0, 0)).isCloseTo(-1, within(1e-15));
        assertThat(grid.getDouble(Condensation.GRID - 1, 0)).isCloseTo(1, within(1e-15));
        assertThat(grid.getColumn(1).toDoubleVector()).containsOnly(1.0);
        assertThat(Condensation.hasBiasColumn(Nd4j.create(new double[][] {{1, 2}, {3, 4}}))).isFalse();
    }

    @Test
    void theSmallestWidthOfEachGroupIsDrawnUnlessWidthsAreGiven() throws Exception {
        Map<Cell, CellResult> results = new LinkedHashMap<>();
        List<Cell> cells = new ArrayList<>();
        for (double q : List.of(0.5, -0.5)) {
            for (int width : List.of(8, 16)) {
                for (long seed = 0; seed < 2; seed++) {
                    Cell cell = Synthetic.cell(Synthetic.fcn(width, 1, q, true, seed), "rule.gamma", String.valueOf(q));
                    cells.add(cell);
                    results.put(cell, seed == 0 && q < 0 && width == 8 ? CellResult.failed("boom", 1)
                            : Synthetic.result("converged"));
                }
            }
        }
        Cell deep = Synthetic.cell(Synthetic.fcn(8, 2, 0.5, false, 0), "rule.gamma", "deep");
        cells.add(deep);
        results.put(deep, Synthetic.result("converged"));
        Analysis.Context context = Synthetic.context(Synthetic.experiment(cells, List.of("rule.gamma", "width", "seed"),
                AnalysisSpec.of("condensation")), results, folder);
        for (Cell cell : cells) {
            if (!results.get(cell).failed()) {
                Synthetic.write(context, cell, p -> {
                    p.get("dense-1").muli(1.5);
                    return p;
                });
            }
        }
        Analysis.Section section = Analyses.create(AnalysisSpec.of("condensation")).run(context);
        // q = 0.5: width 8 seed 0; q = -0.5: width 8 seed 1 (seed 0 failed); the deep cell is noted
        Cell lazy = cells.get(0);
        Cell condensed = cells.get(5);
        assertThat(section.markdown()).contains("2 cells analysed").contains("cell " + deep.id())
                .contains("not a two-layer network");
        for (Cell drawn : List.of(lazy, condensed)) {
            for (String file : List.of("-scatter.png", "-function.png", "-neurons.csv", "-function.csv")) {
                assertThat(folder.resolve(Condensation.FOLDER + "/" + drawn.id() + file)).exists();
                assertThat(section.files()).contains(Condensation.FOLDER + "/" + drawn.id() + file);
            }
        }
        assertThat(Files.readAllLines(folder.resolve(Condensation.FOLDER + "/" + lazy.id() + "-neurons.csv")))
                .hasSize(1 + 2 * 8);
        List<String> function = Files.readAllLines(folder.resolve(Condensation.FOLDER + "/" + lazy.id()
                + "-function.csv"));
        assertThat(function).hasSize(1 + Condensation.GRID);
        assertThat(function.get(1)).as("antisymmetric: f = 0 at initialization").startsWith("-1.00000,0.00000,");
        assertThat(Files.readAllLines(folder.resolve(Condensation.TABLE))).hasSize(3);

        JsonNode widths = ConfigFiles.yaml().readTree("widths: [16]").get("widths");
        Analysis.Section chosen = Analyses.create(new AnalysisSpec("condensation", Map.of("widths", widths)))
                .run(context);
        assertThat(chosen.markdown()).contains("2 cells analysed");
        assertThat(folder.resolve(Condensation.FOLDER + "/" + cells.get(2).id() + "-scatter.png")).exists();
        assertThat(folder.resolve(Condensation.FOLDER + "/" + lazy.id() + "-scatter.png"))
                .as("an earlier report's figures are removed").doesNotExist();

        JsonNode bad = ConfigFiles.yaml().readTree("widths: [0]").get("widths");
        assertThatThrownBy(() -> Analyses.create(new AnalysisSpec("condensation", Map.of("widths", bad))))
                .hasMessageContaining("widths must be a list of positive integers");
    }
}
