package io.thetalazy.experiments.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.thetalazy.core.error.FrameworkException;
import io.thetalazy.experiments.config.Named;
import io.thetalazy.kernels.io.Npy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

final class DataSourcesTest {
    @TempDir
    Path folder;

    @Test
    void lxmzSetIsAsPublished() {
        Dataset data = DataSources.lxmz();
        assertThat(data.x().getColumn(0).toDoubleVector()).containsExactly(-0.5, -1.0 / 6, 1.0 / 6, 0.5);
        assertThat(data.x().getColumn(1).toDoubleVector()).containsOnly(1.0);
        assertThat(data.y().toDoubleVector()).containsExactly(0.25, 1.0 / 36, 1.0 / 36, 0.25);
    }

    @Test
    void sphereRowsHaveSquaredNormD() {
        Dataset data = DataSources.load(new Named("sphere", Map.of("n", 10, "dimension", 3)), folder, 1);
        assertThat(data.x().shape()).containsExactly(10, 4);
        INDArray norms = data.x().mul(data.x()).sum(1);
        for (double norm : norms.toDoubleVector()) {
            assertThat(norm).isCloseTo(4, within(1e-12));
        }
        Dataset unit = DataSources.load(new Named("sphere", Map.of("n", 5, "normalization", "unit")), folder, 1);
        assertThat(unit.x().mul(unit.x()).sum(1).toDoubleVector()[0]).isCloseTo(1, within(1e-12));
        Dataset same = DataSources.load(new Named("sphere", Map.of("n", 10, "dimension", 3)), folder, 1);
        assertThat(same.y().toDoubleVector()).containsExactly(data.y().toDoubleVector());
    }

    @Test
    void readsNpyAndCsvRelativeToTheBaseFolder() throws Exception {
        Npy.write(folder.resolve("x.npy"), Nd4j.createFromArray(new double[][] {{1, 2}, {3, 4}}));
        Npy.write(folder.resolve("y.npy"), Nd4j.createFromArray(5.0, 6.0));
        Dataset npy = DataSources.load(new Named("npy", Map.of("x", "x.npy", "y", "y.npy")), folder, 0);
        assertThat(npy.y().shape()).containsExactly(2, 1);
        Files.writeString(folder.resolve("d.csv"), "a,target,b\n1,10,2\n3,30,4\n");
        Dataset csv = DataSources.load(new Named("csv", Map.of("path", "d.csv", "target", "target")), folder, 0);
        assertThat(csv.x().toDoubleMatrix()).isEqualTo(new double[][] {{1, 2}, {3, 4}});
        assertThat(csv.y().toDoubleVector()).containsExactly(10, 30);
    }

    @Test
    void badDataGetsClearErrors() throws Exception {
        Files.writeString(folder.resolve("nan.csv"), "a,y\n1,2\nNaN,3\n");
        assertThatThrownBy(() -> DataSources.load(new Named("csv", Map.of("path", "nan.csv")), folder, 0))
                .isInstanceOf(FrameworkException.class)
                .hasMessageContaining("inputs contain NaN at row 1");
        Files.writeString(folder.resolve("short.csv"), "a,y\n1,2\n3\n");
        assertThatThrownBy(() -> DataSources.load(new Named("csv", Map.of("path", "short.csv")), folder, 0))
                .hasMessageContaining("line 3: 1 values, the header has 2 columns");
        Npy.write(folder.resolve("x.npy"), Nd4j.zeros(3, 2));
        Npy.write(folder.resolve("y.npy"), Nd4j.zeros(4));
        assertThatThrownBy(() -> DataSources.load(new Named("npy", Map.of("x", "x.npy", "y", "y.npy")), folder, 0))
                .hasMessageContaining("targets must be [n] or [n, 1] with n = 3");
        assertThatThrownBy(() -> DataSources.load(new Named("npy", Map.of("x", "missing.npy", "y", "y.npy")), folder, 0))
                .hasMessageContaining("file not found");
        assertThatThrownBy(() -> DataSources.load(Named.of("spehre"), folder, 0))
                .hasMessageContaining("Unknown data set 'spehre' (did you mean 'sphere'?)");
        assertThatThrownBy(() -> DataSources.load(new Named("sphere", Map.of("m", 3)), folder, 0))
                .hasMessageContaining("takes no parameter 'm'");
    }

    @Test
    void csvWithoutAHeaderIsRefusedUnlessHeaderFalse() throws Exception {
        Files.writeString(folder.resolve("bare.csv"), "1,2,10\n3,4,30\n5,6,50\n");
        assertThatThrownBy(() -> DataSources.load(new Named("csv", Map.of("path", "bare.csv")), folder, 0))
                .hasMessage("%s: the first row (1,2,10) is all numbers, so it is data, not a header of column names: "
                        .formatted(folder.resolve("bare.csv")) + "add a header row, or set header: false in data "
                        + "(columns are then column-1, column-2, ...)");
        Dataset csv = DataSources.load(new Named("csv", Map.of("path", "bare.csv", "header", false)), folder, 0);
        assertThat(csv.x().toDoubleMatrix()).isEqualTo(new double[][] {{1, 2}, {3, 4}, {5, 6}});
        assertThat(csv.y().toDoubleVector()).containsExactly(10, 30, 50);
        Dataset first = DataSources.load(new Named("csv", Map.of("path", "bare.csv", "header", false, "target",
                "column-1")), folder, 0);
        assertThat(first.y().toDoubleVector()).containsExactly(1, 3, 5);
    }
}
