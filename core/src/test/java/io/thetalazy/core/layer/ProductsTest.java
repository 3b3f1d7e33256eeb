package io.thetalazy.core.layer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.thetalazy.core.error.ErrorCode;
import io.thetalazy.core.error.FrameworkException;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

final class ProductsTest {
    static {
        Numerics.useFloat64();
    }

    private static double[][] random(Random rng, int rows, int columns) {
        double[][] values = new double[rows][columns];
        for (double[] row : values) {
            for (int j = 0; j < columns; j++) {
                row[j] = rng.nextGaussian();
            }
        }
        return values;
    }

    /** alpha op(a) op(b) + beta c by the definition, in plain Java. */
    private static double[][] reference(double[][] a, double[][] b, double[][] c, boolean transA, boolean transB,
            double alpha, double beta) {
        int m = c.length;
        int n = c[0].length;
        int k = transA ? a.length : a[0].length;
        double[][] out = new double[m][n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double sum = 0;
                for (int p = 0; p < k; p++) {
                    sum += (transA ? a[p][i] : a[i][p]) * (transB ? b[j][p] : b[p][j]);
                }
                out[i][j] = alpha * sum + beta * c[i][j];
            }
        }
        return out;
    }

    private static void assertClose(INDArray actual, double[][] expected, double tolerance) {
        double[][] values = actual.toDoubleMatrix();
        for (int i = 0; i < expected.length; i++) {
            for (int j = 0; j < expected[i].length; j++) {
                assertThat(values[i][j]).as("entry (%d, %d)", i, j).isCloseTo(expected[i][j], within(tolerance));
            }
        }
    }

    @ParameterizedTest
    @CsvSource({"false, false", "false, true", "true, false", "true, true"})
    void directProductMatchesTheDefinitionAndNd4jForEveryTransposition(boolean transA, boolean transB) {
        Random rng = new Random(7);
        int m = 5;
        int n = 7;
        int k = 3;
        double[][] a = transA ? random(rng, k, m) : random(rng, m, k);
        double[][] b = transB ? random(rng, n, k) : random(rng, k, n);
        double[][] c = random(rng, m, n);
        INDArray out = Nd4j.createFromArray(c);
        assertThat(Products.direct(Nd4j.createFromArray(a), Nd4j.createFromArray(b), out)).isTrue();
        Products.gemm(Nd4j.createFromArray(a), Nd4j.createFromArray(b), out, transA, transB, 0.7, -1.5);
        assertClose(out, reference(a, b, c, transA, transB, 0.7, -1.5), 1e-13);
        INDArray viaOp = Nd4j.createFromArray(c);
        Nd4j.gemm(Nd4j.createFromArray(a), Nd4j.createFromArray(b), viaOp, transA, transB, 0.7, -1.5);
        assertClose(out, viaOp.toDoubleMatrix(), 1e-13);
    }

    @Test
    void directProductReadsAndWritesRowViewsAtTheirOffset() {
        Random rng = new Random(11);
        double[][] a = random(rng, 6, 4);
        double[][] b = random(rng, 3, 4);
        INDArray rows = Nd4j.createFromArray(a).get(NDArrayIndex.interval(2, 5), NDArrayIndex.all());
        INDArray target = Nd4j.zeros(DataType.DOUBLE, 8, 3);
        INDArray window = target.get(NDArrayIndex.interval(4, 7), NDArrayIndex.all());
        assertThat(rows.offset()).isPositive();
        assertThat(Products.direct(rows, Nd4j.createFromArray(b), window)).isTrue();
        Products.gemm(rows, Nd4j.createFromArray(b), window, false, true, 1.0, 0.0);
        double[][] expected = reference(new double[][] {a[2], a[3], a[4]}, b, new double[3][3], false, true, 1, 0);
        assertClose(window, expected, 1e-13);
        // the rows around the window are untouched
        assertThat(target.get(NDArrayIndex.interval(0, 4), NDArrayIndex.all()).sumNumber().doubleValue()).isZero();
        assertThat(target.getRow(7).sumNumber().doubleValue()).isZero();
    }

    @Test
    void otherLayoutsTakeTheNd4jOpWithTheSameResult() {
        Random rng = new Random(3);
        double[][] a = random(rng, 4, 5);
        double[][] b = random(rng, 5, 2);
        INDArray fOrder = Nd4j.createFromArray(a).dup('f');
        INDArray out = Nd4j.zeros(DataType.DOUBLE, 4, 2);
        assertThat(Products.direct(fOrder, Nd4j.createFromArray(b), out)).isFalse();
        Products.gemm(fOrder, Nd4j.createFromArray(b), out, false, false, 2.0, 0.0);
        assertClose(out, reference(a, b, new double[4][2], false, false, 2, 0), 1e-13);
    }

    @Test
    void float32ProductsStayFloat32() {
        Random rng = new Random(5);
        double[][] a = random(rng, 3, 4);
        double[][] b = random(rng, 4, 2);
        INDArray out = Nd4j.zeros(DataType.FLOAT, 3, 2);
        Products.gemm(Nd4j.createFromArray(a).castTo(DataType.FLOAT), Nd4j.createFromArray(b).castTo(DataType.FLOAT),
                out, false, false, 1.0, 0.0);
        assertThat(out.dataType()).isEqualTo(DataType.FLOAT);
        assertClose(out, reference(a, b, new double[3][2], false, false, 1, 0), 1e-5);
    }

    private static INDArray stack(double[][][] matrices) {
        return Nd4j.createFromArray(matrices);
    }

    @ParameterizedTest
    @CsvSource({"true, false", "false, true"})
    void batchedProductsMatchTheDefinitionPerMatrixAndSummed(boolean contiguous, boolean transB) {
        Random rng = new Random(21);
        int count = 4;
        double[][] shared = random(rng, 3, 5);                   // A [3, 5], shared by the batch
        double[][][] b = new double[count][][];
        for (int i = 0; i < count; i++) {
            b[i] = transB ? random(rng, 2, 5) : random(rng, 5, 2);
        }
        INDArray bs = contiguous ? stack(b) : stack(b).dup('f');
        INDArray c = Nd4j.zeros(DataType.DOUBLE, count, 3, 2);
        Products.batched(Nd4j.createFromArray(shared), bs, c, false, transB, 1.5, 0.0);
        double[][] sum = new double[3][2];
        for (int i = 0; i < count; i++) {
            double[][] expected = reference(shared, b[i], new double[3][2], false, transB, 1.5, 0);
            assertClose(c.slice(i), expected, 1e-13);
            for (int r = 0; r < 3; r++) {
                for (int k = 0; k < 2; k++) {
                    sum[r][k] += expected[r][k];
                }
            }
        }
        // a matrix C receives the sum of the batch's products, beta applied once
        double[][] start = random(rng, 3, 2);
        INDArray accumulated = Nd4j.createFromArray(start);
        Products.batched(Nd4j.createFromArray(shared), bs, accumulated, false, transB, 1.5, 2.0);
        double[][] expected = new double[3][2];
        for (int r = 0; r < 3; r++) {
            for (int k = 0; k < 2; k++) {
                expected[r][k] = sum[r][k] + 2.0 * start[r][k];
            }
        }
        assertClose(accumulated, expected, 1e-12);
    }

    @ParameterizedTest
    @CsvSource({"false, false", "false, true", "true, false", "true, true"})
    void batchedProductsReadColumnBlocksOfAWiderMatrixWhereTheyLie(boolean transA, boolean transB) {
        // B_i and C_i are the column blocks i of matrices [rows, count * columns]: views with row stride count * columns
        Random rng = new Random(5);
        int count = 3;
        double[][][] a = new double[count][][];
        double[][][] b = new double[count][][];
        for (int i = 0; i < count; i++) {
            a[i] = transA ? random(rng, 4, 2) : random(rng, 2, 4);
            b[i] = transB ? random(rng, 3, 4) : random(rng, 4, 3);
        }
        INDArray wideB = stack(b).permute(1, 0, 2).dup('c');          // [rows of B_i, count, columns of B_i]
        INDArray blocksOfB = wideB.permute(1, 0, 2);
        INDArray wideC = Nd4j.zeros(DataType.DOUBLE, 2, count, 3);
        Products.batched(stack(a), blocksOfB, wideC.permute(1, 0, 2), transA, transB, 0.5, 0.0);
        for (int i = 0; i < count; i++) {
            assertClose(wideC.permute(1, 0, 2).slice(i).dup('c'),
                    reference(a[i], b[i], new double[2][3], transA, transB, 0.5, 0), 1e-13);
        }
    }

    @Test
    void batchedProductsRejectBatchesOfDifferentCounts() {
        assertThatThrownBy(() -> Products.batched(Nd4j.ones(3, 2, 2), Nd4j.ones(3, 2, 2), Nd4j.ones(4, 2, 2), false,
                false, 1, 0))
                .isInstanceOfSatisfying(FrameworkException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.SHAPE_MISMATCH))
                .hasMessage("batched products take matrices or [3, rows, columns] arrays, found [4, 2, 2]");
    }

    @Test
    void rejectsMismatchedShapes() {
        assertThatThrownBy(() -> Products.gemm(Nd4j.ones(2, 3), Nd4j.ones(4, 2), Nd4j.zeros(2, 2), false, false, 1, 0))
                .isInstanceOfSatisfying(FrameworkException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.SHAPE_MISMATCH))
                .hasMessage("gemm shapes do not match: op(a) of [2, 3], op(b) of [4, 2] into [2, 2]");
    }
}
