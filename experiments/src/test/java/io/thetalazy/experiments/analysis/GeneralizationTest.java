package io.thetalazy.experiments.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.thetalazy.core.layer.Params;
import io.thetalazy.experiments.config.AnalysisSpec;
import io.thetalazy.experiments.config.Cell;
import io.thetalazy.experiments.config.ConfigFiles;
import io.thetalazy.experiments.config.Named;
import io.thetalazy.experiments.config.RunConfig;
import io.thetalazy.experiments.data.DataSources;
import io.thetalazy.experiments.data.Dataset;
import io.thetalazy.experiments.sweep.CellResult;
import io.thetalazy.experiments.sweep.RunSetup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** Held-out sets with known points, and predictors whose errors are known on the training inputs themselves. */
final class GeneralizationTest {
    @TempDir
    Path folder;

    private static Map<String, Object> sphere(int n, String teacher) {
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("n", n);
        parameters.put("dimension", 3);
        parameters.put("teacher", teacher);
        return parameters;
    }

    @Test
    void lxmzHeldOutPointsAreMidpointsOfTheIntervalWithTheirSquares() {
        RunConfig config = Synthetic.fcn(8, 1, 0.5, true, 0);
        Dataset train = DataSources.lxmz();
        Generalization.HeldOut test = Generalization.heldOut(config, train.x(), train.y(), 4, folder);
        assertThat(test.x().getColumn(0).toDoubleVector()).containsExactly(-0.375, -0.125, 0.125, 0.375);
        assertThat(test.x().getColumn(1).toDoubleVector()).containsOnly(1.0);
        assertThat(test.y().reshape(-1).toDoubleVector()).containsExactly(0.140625, 0.015625, 0.015625, 0.140625);
    }

    @Test
    void sphereHeldOutPointsContinueTheDrawWithTheSameTeacherAndCentring() {
        for (String teacher : List.of("neuron", "linear")) {
            RunConfig config = Synthetic.config("fcn", 8, 1, "relu", false, 0.5, new Named("sphere", sphere(8,
                    teacher)), 3);
            Dataset train = DataSources.load(config.data(), folder, 3);
            Generalization.HeldOut test = Generalization.heldOut(config, train.x(), train.y(), 6, folder);
            Dataset all = DataSources.load(new Named("sphere", sphere(14, teacher)), folder, 3);
            assertThat(test.x().distance2(all.x().get(NDArrayIndex.interval(8, 14), NDArrayIndex.all())))
                    .isEqualTo(0);
            // differences of targets do not depend on the centring: y_test,i - y_train,0 = y_all,8+i - y_all,0
            for (int i = 0; i < 6; i++) {
                assertThat(test.y().getDouble(i, 0) - train.y().getDouble(0, 0))
                        .isCloseTo(all.y().getDouble(8 + i, 0) - all.y().getDouble(0, 0), within(1e-14));
            }
        }
    }

    /** Four 4x4 images of one value each (base + i), labels i % 2, as IDX files of the split's prefix. */
    private static void idx(Path dir, String prefix, int base) throws Exception {
        java.io.ByteArrayOutputStream images = new java.io.ByteArrayOutputStream();
        java.io.DataOutputStream out = new java.io.DataOutputStream(images);
        out.writeInt(0x00000803);
        out.writeInt(4);
        out.writeInt(4);
        out.writeInt(4);
        for (int i = 0; i < 4; i++) {
            for (int p = 0; p < 16; p++) {
                out.writeByte(base + i + (p == 0 ? 50 : 0));
            }
        }
        java.io.ByteArrayOutputStream labels = new java.io.ByteArrayOutputStream();
        java.io.DataOutputStream lout = new java.io.DataOutputStream(labels);
        lout.writeInt(0x00000801);
        lout.writeInt(4);
        for (int i = 0; i < 4; i++) {
            lout.writeByte(i % 2);
        }
        Files.createDirectories(dir);
        Files.write(dir.resolve(prefix + "-images-idx3-ubyte"), images.toByteArray());
        Files.write(dir.resolve(prefix + "-labels-idx1-ubyte"), labels.toByteArray());
    }

    @Test
    void fashionMnistHeldOutImagesComeFromTheOtherSplit() throws Exception {
        Path dir = folder.resolve("fashion");
        idx(dir, "train", 10);
        idx(dir, "t10k", 100);
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("dir", dir.toString());
        parameters.put("classes", List.of(0, 1));
        parameters.put("perClass", 2);
        parameters.put("size", 4);
        parameters.put("normalization", "pixel");
        RunConfig config = Synthetic.config("fcn", 8, 1, "relu", false, 0.5, new Named("fashion-mnist", parameters), 0);
        Dataset train = DataSources.load(config.data(), folder, 0);
        Generalization.HeldOut test = Generalization.heldOut(config, train.x(), train.y(), 3, folder);
        assertThat(test.how()).isEqualTo("2 images per class of the test split");
        assertThat(test.x().shape()).containsExactly(4, 17);
        // pixel 1 of image i is (base + i) / 255: the test split's base is 100
        assertThat(test.x().getColumn(1).mul(255).minNumber().doubleValue()).isGreaterThan(99);
        assertThat(train.x().getColumn(1).mul(255).maxNumber().doubleValue()).isLessThan(20);
    }

    @Test
    void dataSourcesWithAFixedSetHaveNoHeldOutData() {
        Map<String, Object> files = new LinkedHashMap<>();
        files.put("x", "x.npy");
        files.put("y", "y.npy");
        RunConfig config = Synthetic.config("fcn", 8, 1, "relu", false, 0.5, new Named("npy", files), 0);
        Dataset train = DataSources.lxmz();
        assertThatThrownBy(() -> Generalization.heldOut(config, train.x(), train.y(), 4, folder))
                .hasMessageContaining("data source 'npy' is a fixed set of points: no held-out data");
        JsonNode bad = ConfigFiles.yaml().valueToTree(0);
        assertThatThrownBy(() -> Analyses.create(new AnalysisSpec("generalization", Map.of("heldOut", bad))))
                .hasMessageContaining("heldOut must be a positive number of points");
    }

    @Test
    void onTheTrainingInputsKernelRegressionInterpolatesAndTheLinearizedModelStartsAtTheInitialOutputs() {
        RunSetup setup = Synthetic.setup(Synthetic.fcn(16, 1, 0.5, true, 0));
        Params init = setup.network().init(0);
        INDArray x = setup.data().x();
        INDArray y = setup.data().y();
        Generalization.HeldOut same = new Generalization.HeldOut(x, y, "the training set");
        double meanSquare = Generalization.mse(y.mul(0), y);
        Generalization.Errors start = Generalization.errors(setup.network(), init, init, x, y, same,
                OptionalDouble.of(0));
        assertThat(start.kernel()).isCloseTo(0, within(1e-20));
        assertThat(start.network()).as("antisymmetric: f = 0 untrained").isEqualTo(meanSquare);
        assertThat(start.linearized()).isCloseTo(meanSquare, within(1e-15));
        assertThat(start.gap()).isCloseTo(1, within(1e-9));
        assertThat(start.kappa()).isCloseTo(4, within(1e-12));
        assertThat(start.regime()).isEqualTo("theta-lazy");
        Generalization.Errors late = Generalization.errors(setup.network(), init, init, x, y, same,
                OptionalDouble.of(1e12));
        assertThat(late.linearized()).isCloseTo(0, within(1e-16));
        assertThat(Generalization.errors(setup.network(), init, init, x, y, same, OptionalDouble.empty()).linearized())
                .isNaN();
    }

    @Test
    void cellsAreGroupedByEverythingButTheRuleAndSeedAndPlottedAgainstKappa() throws Exception {
        Map<Cell, CellResult> results = new LinkedHashMap<>();
        List<Cell> cells = new ArrayList<>();
        for (double q : List.of(0.5, 0.0, -0.5)) {
            for (int width : List.of(8, 16)) {
                Cell cell = Synthetic.cell(Synthetic.fcn(width, 1, q, true, 0), "rule.gamma", String.valueOf(q));
                cells.add(cell);
                results.put(cell, Synthetic.result(q < 0 && width == 16 ? "step-budget" : "converged"));
            }
        }
        Map<String, Object> files = new LinkedHashMap<>();
        files.put("x", "data/x.npy");
        files.put("y", "data/y.npy");
        Cell npy = Synthetic.cell(Synthetic.config("fcn", 8, 1, "relu", true, 0.25, new Named("npy", files), 0),
                "rule.gamma", "0.25");
        cells.add(npy);
        results.put(npy, Synthetic.result("converged"));
        Cell failed = Synthetic.cell(Synthetic.fcn(32, 1, 0.5, true, 0), "rule.gamma", "0.5");
        cells.add(failed);
        results.put(failed, CellResult.failed("boom", 1));
        Analysis.Context context = Synthetic.context(Synthetic.experiment(cells, List.of("rule.gamma", "width", "seed"),
                AnalysisSpec.of("generalization")), results, folder);
        for (Cell cell : cells) {
            if (cell == npy) {
                RunSetup lxmz = Synthetic.setup(cell.config().withData(Named.of("lxmz")));
                Params init = lxmz.network().init(0);
                Synthetic.write(context.cellFolder(cell), lxmz.data().x(), lxmz.data().y(), init, init);
            } else if (cell != failed) {
                Synthetic.write(context, cell, p -> p);
            }
        }
        assertThat(Generalization.group(cells.get(0), Map.of())).isEqualTo("width=8");

        Analysis.Section section = Analyses.create(AnalysisSpec.of("generalization")).run(context);

        assertThat(section.markdown()).contains("6 cells analysed; skipped (no result): 1 failed")
                .contains("cell " + npy.id()).contains("no held-out data")
                .contains("Held-out data (lxmz): 64 midpoints")
                .contains("| width=8 | 0.3536 | ").contains("| width=8 | 2.828 | theta-lazy | 1 | ")
                .contains("| width=16 | 4.000 | theta-lazy | 1 | ");
        assertThat(section.markdown()).as("the cell that did not converge is not in the table")
                .doesNotContain("| width=16 | 0.2500 |");
        List<String> rows = Files.readAllLines(folder.resolve(Generalization.CELLS));
        assertThat(rows).hasSize(1 + 6);
        assertThat(rows.get(1)).contains(",theta-lazy,64,");
        assertThat(folder.resolve(Generalization.FIGURE)).exists();
    }
}
