package io.thetalazy.core.layer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.thetalazy.core.error.ErrorCode;
import io.thetalazy.core.error.FrameworkException;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

final class SmallArraysTest {
    static {
        Numerics.useFloat64();
    }

    private static INDArray random(long seed, int rows, int columns) {
        Random rng = new Random(seed);
        double[][] values = new double[rows][columns];
        for (double[] row : values) {
            for (int j = 0; j < columns; j++) {
                row[j] = rng.nextGaussian();
            }
        }
        return Nd4j.createFromArray(values);
    }

    @Test
    void valuesOfViewsAndTransposesAreTheirEntriesInRowMajorOrder() {
        INDArray matrix = random(1, 6, 5);
        INDArray rows = matrix.get(NDArrayIndex.interval(2, 4), NDArrayIndex.all());
        INDArray transposed = matrix.transpose();
        INDArray column = matrix.getColumn(3);
        for (INDArray array : new INDArray[] {matrix, rows, transposed, column}) {
            double[] values = SmallArrays.values(array);
            assertThat(values).hasSize((int) array.length());
            INDArray flat = array.dup('c').reshape(array.length());
            for (int i = 0; i < values.length; i++) {
                assertThat(values[i]).isEqualTo(flat.getDouble(i));
            }
        }
    }

    @Test
    void normAndFinitenessAgreeWithNd4jOnSmallArraysAndTakeNd4jOnLargeOnes() {
        INDArray small = random(2, 16, 1);
        assertThat(SmallArrays.small(small)).isTrue();
        assertThat(SmallArrays.norm(small)).isCloseTo(small.norm2Number().doubleValue(), within(1e-14));
        INDArray large = random(3, 100, 50);
        assertThat(SmallArrays.small(large)).isFalse();
        assertThat(SmallArrays.norm(large)).isEqualTo(large.norm2Number().doubleValue());
        assertThat(SmallArrays.isFinite(small)).isTrue();
        small.putScalar(7, 0, Double.NaN);
        assertThat(SmallArrays.isFinite(small)).isFalse();
        large.putScalar(70, 3, Double.POSITIVE_INFINITY);
        assertThat(SmallArrays.isFinite(large)).isFalse();
        INDArray floats = random(4, 3, 3).castTo(DataType.FLOAT);
        floats.putScalar(1, 1, Float.NEGATIVE_INFINITY);
        assertThat(SmallArrays.isFinite(floats)).isFalse();
    }

    @Test
    void mapsInJavaEqualTheNd4jOpsAndLeaveLargeArraysToNd4j() {
        INDArray a = random(5, 16, 1);
        INDArray b = random(6, 16, 1);
        assertThat(SmallArrays.map(a, v -> v / 16).toDoubleMatrix()).isEqualTo(a.div(16).toDoubleMatrix());
        assertThat(SmallArrays.map(a, b, (x, y) -> x - y).toDoubleMatrix()).isEqualTo(a.sub(b).toDoubleMatrix());
        INDArray combined = SmallArrays.map(a, b, (x, y) -> (x - y) * 0.5);
        assertThat(combined.toDoubleMatrix()).isEqualTo(a.sub(b).muli(0.5).toDoubleMatrix());
        assertThat(combined.shape()).containsExactly(16, 1);
        assertThat(SmallArrays.map(random(7, 300, 300), v -> v)).isNull();
        assertThat(SmallArrays.map(a, random(8, 4, 4), (x, y) -> x)).as("shapes differ").isNull();
        assertThat(SmallArrays.map(random(9, 4, 8).transpose(), v -> v)).as("strided").isNull();
    }

    @Test
    void memoryIsTheArrayItselfNotACopy() {
        INDArray matrix = random(10, 6, 4);
        INDArray rows = matrix.get(NDArrayIndex.interval(3, 5), NDArrayIndex.all());
        java.nio.DoubleBuffer memory = SmallArrays.memory(rows);
        assertThat(memory.limit()).isEqualTo(8);
        assertThat(memory.get(0)).isEqualTo(matrix.getDouble(3, 0));
        memory.put(5, 42.0);
        assertThat(matrix.getDouble(4, 1)).isEqualTo(42.0);
        assertThat(SmallArrays.memory(matrix.castTo(DataType.FLOAT))).isNull();
    }

    @Test
    void axpyInJavaMatchesTheBlasAxpyAndTheDefinition() {
        for (int n : new int[] {16_000, 70_000}) {
            INDArray x = random(n, n, 1);
            INDArray y = random(n + 1, n, 1);
            double[] xs = x.dup().data().asDouble();
            double[] ys = y.dup().data().asDouble();
            INDArray viaBlas = y.dup();
            Nd4j.getBlasWrapper().level1().axpy(n, -0.37, x, viaBlas);
            assertThat(SmallArrays.memory(x) != null).isEqualTo(n <= SmallArrays.POINTWISE_LIMIT);
            SmallArrays.axpy(-0.37, x, y);
            double[] result = y.data().asDouble();
            double[] blas = viaBlas.data().asDouble();
            for (int i = 0; i < n; i++) {
                assertThat(result[i]).isCloseTo(ys[i] - 0.37 * xs[i], within(1e-15 * (Math.abs(ys[i]) + 1)));
                assertThat(result[i]).isCloseTo(blas[i], within(1e-15 * (Math.abs(blas[i]) + 1)));
            }
        }
    }

    @Test
    void axpyIntoAStridedViewChangesOnlyTheViewsEntries() {
        for (int columns : new int[] {6, 40_000}) {   // the Java pass's size and the BLAS's
            INDArray whole = random(3, 2, columns);
            INDArray before = whole.dup();
            INDArray view = whole.get(NDArrayIndex.all(), NDArrayIndex.interval(0, columns / 2));
            SmallArrays.axpy(-0.5, Nd4j.ones(DataType.DOUBLE, 2, columns / 2), view);
            for (int i = 0; i < 2; i++) {
                for (int j = 0; j < columns; j += Math.max(1, columns / 12)) {
                    double expected = before.getDouble(i, j) - (j < columns / 2 ? 0.5 : 0);
                    assertThat(whole.getDouble(i, j)).as("[%d, %d]", i, j).isCloseTo(expected, within(1e-15));
                }
            }
        }
    }

    @Test
    void refusesToReadLargeArrays() {
        assertThatThrownBy(() -> SmallArrays.values(Nd4j.zeros(DataType.DOUBLE, 65, 64)))
                .isInstanceOfSatisfying(FrameworkException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                .hasMessage("only arrays of at most 4096 floating-point entries are read into Java, found 4160 of DOUBLE");
    }
}
