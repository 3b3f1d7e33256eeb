package io.thetalazy.experiments.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.thetalazy.core.layer.Network;
import io.thetalazy.core.layer.Params;
import io.thetalazy.experiments.config.AnalysisSpec;
import io.thetalazy.experiments.config.Cell;
import io.thetalazy.experiments.config.ConfigFiles;
import io.thetalazy.experiments.config.Named;
import io.thetalazy.experiments.config.RunConfig;
import io.thetalazy.experiments.config.TrainingSettings;
import io.thetalazy.experiments.sweep.CellResult;
import io.thetalazy.experiments.sweep.RunSetup;
import io.thetalazy.experiments.sweep.SlopeFit;
import io.thetalazy.kernels.io.Npy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.factory.Nd4j;

/**
 * |G^[l] - K^[l]| / |K^[l]| on weights built so the answer is exact: a two-layer linear network with Theta-lazy q =
 * 1/2 (m / kappa^2 = 1) has G^[2] = x^T (W^T W / m) x' / d and G^[1] = (sum_k a_k^2 / m) x.x' / d, against K^[1] = K^[2]
 * = x.x' / d: input weights with W^T W = m I and readout weights all c give errors |c^2 - 1| and 0.
 */
final class KernelConvergenceTest {
    @TempDir
    Path folder;

    private static RunConfig linear(int width, long seed) {
        return Synthetic.config("fcn", width, 1, "linear", false, 0.5, Named.of("lxmz"), seed);
    }

    /** Rows (r, 0), (0, r), (-r, 0), (0, -r) with r = sqrt 2, repeated: W^T W = m I; every readout weight c. */
    private static Params exact(int width, double c) {
        double r = Math.sqrt(2);
        double[][] w = new double[width][2];
        for (int k = 0; k < width; k++) {
            w[k][k % 2] = k % 4 < 2 ? r : -r;
        }
        Params params = new Params();
        params.put("dense-1", Nd4j.create(w));
        params.put("readout-2", Nd4j.ones(1, width).muli(c));
        return params;
    }

    @Test
    void weightsWithTheLimitsSecondMomentsHaveNoErrorAndAScaledReadoutItsScale() {
        RunSetup setup = Synthetic.setup(linear(8, 0));
        double[] none = KernelConvergence.errors(setup.network(), exact(8, 1), setup.data().x());
        assertThat(none[0]).isCloseTo(0, within(1e-14));
        assertThat(none[1]).isCloseTo(0, within(1e-14));
        double[] scaled = KernelConvergence.errors(setup.network(), exact(8, Math.sqrt(1.3)), setup.data().x());
        assertThat(scaled[0]).isCloseTo(0.3, within(1e-12));
        assertThat(scaled[1]).isCloseTo(0, within(1e-14));
    }

    @Test
    void randomInitializationConvergesLikeTheInverseSquareRootOfWidth() {
        List<Double> widths = new ArrayList<>();
        List<Double> rms = new ArrayList<>();
        for (int width : List.of(64, 256, 1024, 4096)) {
            RunSetup setup = Synthetic.setup(Synthetic.fcn(width, 1, 0.5, false, 0));
            Network network = setup.network();
            double sum = 0;
            int seeds = 16;
            for (long seed = 0; seed < seeds; seed++) {
                double[] errors = KernelConvergence.errors(network, network.init(seed), setup.data().x());
                double max = Math.max(errors[0], errors[1]);
                sum += max * max;
            }
            widths.add((double) width);
            rms.add(Math.sqrt(sum / seeds));
        }
        SlopeFit fit = SlopeFit.logLog(widths.stream().mapToDouble(Double::doubleValue).toArray(),
                rms.stream().mapToDouble(Double::doubleValue).toArray());
        assertThat(fit.slope()).isCloseTo(-0.5, within(0.15));
    }

    @Test
    void residualNetworksHaveAnErrorPerTrainableLayer() {
        RunSetup setup = Synthetic.setup(Synthetic.config("resnet", 16, 3, "relu", false, 0.5, Named.of("lxmz"), 0));
        double[] errors = KernelConvergence.errors(setup.network(), setup.network().init(0), setup.data().x());
        assertThat(errors).hasSize(4);
        assertThat(java.util.Arrays.stream(errors).min().orElseThrow()).isPositive();
        assertThat(java.util.Arrays.stream(errors).max().orElseThrow()).isLessThan(10);
    }

    @Test
    void theSectionFitsEachLayerAcrossWidthsAndNotesBadCells() throws Exception {
        Map<Cell, CellResult> results = new LinkedHashMap<>();
        List<Cell> cells = new ArrayList<>();
        for (int width : List.of(8, 32, 128)) {
            Cell cell = Synthetic.cell(linear(width, 0));
            cells.add(cell);
            results.put(cell, Synthetic.result(width == 128 ? "step-budget" : "converged"));
        }
        Cell pending = Synthetic.cell(linear(16, 0));
        Cell broken = Synthetic.cell(linear(64, 0));
        cells.add(pending);
        cells.add(broken);
        results.put(pending, CellResult.pending());
        results.put(broken, Synthetic.result("converged"));
        Analysis.Context context = Synthetic.context(Synthetic.experiment(cells, List.of("width", "seed"),
                AnalysisSpec.of("kernel-convergence")), results, folder);
        RunSetup setup = Synthetic.setup(linear(8, 0));
        for (Cell cell : cells.subList(0, 3)) {
            int width = cell.config().width();
            // error of layer 1 exactly m^-1/2
            Params init = exact(width, Math.sqrt(1 + 1 / Math.sqrt(width)));
            Synthetic.write(context.cellFolder(cell), setup.data().x(), setup.data().y(), init, init);
        }
        Files.createDirectories(context.cellFolder(broken));

        Analysis.Section section = Analyses.create(AnalysisSpec.of("kernel-convergence")).run(context);

        assertThat(section.markdown()).contains("3 cells analysed; skipped (no result): 1 pending")
                .contains("cell " + broken.id()).contains("has no data/x.npy")
                .contains("| all | l=1 | 8: 0.354, 32: 0.177, 128: 0.0884 | -0.500 +- 0.000 | 3 | yes |");
        List<String> slopes = Files.readAllLines(folder.resolve(KernelConvergence.SLOPES));
        assertThat(slopes.get(0)).isEqualTo("group,layer,slope,standardError,points,leftOut,withinHalf");
        assertThat(slopes).anySatisfy(row -> assertThat(row).startsWith("all,max,-0.5"));
        assertThat(Files.readAllLines(folder.resolve(KernelConvergence.CELLS))).hasSize(1 + 3 * 3);
        assertThat(folder.resolve(KernelConvergence.FIGURE)).exists();
    }

    /**
     * A cell run with training.saveParams: false has no params/: its kernels are those of its seed's initialization,
     * drawn again; a cell that should have kept them and has not is noted, not redrawn.
     */
    @Test
    void cellsWithoutSavedParamsAreMeasuredAtTheirSeedsInitialization() throws Exception {
        Map<Cell, CellResult> results = new LinkedHashMap<>();
        List<Cell> cells = new ArrayList<>();
        for (int width : List.of(16, 64)) {
            RunConfig config = Synthetic.fcn(width, 1, 0.5, false, 3);
            Cell cell = Synthetic.cell(config.withTraining(withoutParams()));
            cells.add(cell);
            results.put(cell, Synthetic.result("step-budget"));
        }
        Cell missing = Synthetic.cell(Synthetic.fcn(32, 1, 0.5, false, 3));
        cells.add(missing);
        results.put(missing, Synthetic.result("step-budget"));
        Analysis.Context context = Synthetic.context(Synthetic.experiment(cells, List.of("width", "seed"),
                AnalysisSpec.of("kernel-convergence")), results, folder);
        for (Cell cell : cells) {
            RunSetup setup = Synthetic.setup(cell.config());
            Npy.write(context.cellFolder(cell).resolve("data/x.npy"), setup.data().x());
            Npy.write(context.cellFolder(cell).resolve("data/y.npy"), setup.data().y());
        }

        Analysis.Section section = Analyses.create(AnalysisSpec.of("kernel-convergence")).run(context);

        List<String> rows = Files.readAllLines(folder.resolve(KernelConvergence.CELLS));
        for (Cell cell : cells.subList(0, 2)) {
            RunSetup setup = Synthetic.setup(cell.config());
            double[] expected = KernelConvergence.errors(setup.network(), setup.network().init(3), setup.data().x());
            assertThat(rows).anySatisfy(row -> assertThat(row).contains("," + cell.id() + ",")
                    .endsWith(",1," + Tables.number(expected[0])));
        }
        assertThat(rows).noneSatisfy(row -> assertThat(row).contains(missing.id()));
        assertThat(section.markdown()).contains("cell " + missing.id()).contains("has no dense-1.npy");
    }

    /** The default training settings with saveParams false, through the config parser. */
    private static TrainingSettings withoutParams() {
        return ConfigFiles.parse("training: {saveParams: false}\n", "t").training();
    }
}
