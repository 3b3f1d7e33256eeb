package io.thetalazy.core.layer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thetalazy.core.error.ErrorCode;
import io.thetalazy.core.error.FrameworkException;
import java.util.Map;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** Gradients as a store and as a descent, against products computed in plain Java. */
final class GradientsTest {
    @BeforeAll
    static void doubles() {
        Numerics.useFloat64();
    }

    private static INDArray matrix(int rows, int columns, double shift) {
        double[][] entries = new double[rows][columns];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < columns; j++) {
                entries[i][j] = Math.sin(1.3 * i + 0.7 * j + shift);
            }
        }
        return Nd4j.create(entries);
    }

    /** alpha a^T b in plain Java. */
    private static double[] transposeTimes(INDArray a, INDArray b, double alpha) {
        int rows = (int) a.size(1);
        int columns = (int) b.size(1);
        double[] out = new double[rows * columns];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < columns; j++) {
                double sum = 0;
                for (int k = 0; k < a.size(0); k++) {
                    sum += a.getDouble(k, i) * b.getDouble(k, j);
                }
                out[i * columns + j] = alpha * sum;
            }
        }
        return out;
    }

    private static void assertClose(double[] actual, double[] expected) {
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < expected.length; i++) {
            assertThat(actual[i]).as("entry %d", i).isCloseTo(expected[i], Offset.offset(1e-13));
        }
    }

    @Test
    void productIsStoredInTheShapeOfItsParameter() {
        INDArray a = matrix(5, 2, 0);
        INDArray b = matrix(5, 6, 1);
        INDArray parameter = Nd4j.zeros(2, 3, 2);   // its entries in row-major order are the [2, 6] product's
        Gradients gradients = new Gradients();
        gradients.product("w", parameter, a, b, true, false, 0.5);
        assertThat(gradients.get("w").shape()).containsExactly(2, 3, 2);
        assertClose(gradients.get("w").data().asDouble(), transposeTimes(a, b, 0.5));
        assertThat(parameter.sumNumber().doubleValue()).isZero();
    }

    @Test
    void descentWritesProductsIntoTheParametersAndAppliesStoredGradientsOnce() {
        INDArray a = matrix(5, 3, 0);
        INDArray b = matrix(5, 4, 2);
        Params params = new Params();
        params.put("w", matrix(3, 4, 3));
        params.put("w-mirror", matrix(3, 4, 4));
        params.put("b", matrix(1, 4, 5));
        double[] w = params.get("w").data().asDouble();
        double[] mirror = params.get("w-mirror").data().asDouble();
        double[] bias = params.get("b").data().asDouble();
        Gradients descent = Gradients.descent(params, Map.of("w", 2.0, "w-mirror", 3.0, "b", 0.5)).step(0.1);
        descent.product("w", params.get("w"), a, b, true, false, 1.5);
        descent.withSuffix("-mirror").product("w", params.get("w-mirror"), a, b, true, false, 1.5);
        descent.buffer("b", params.get("b")).assign(1.0);
        assertThat(descent.asMap()).containsOnlyKeys("b");   // the products were never stored
        descent.applyStored();
        descent.applyStored();   // nothing left to apply
        double[] product = transposeTimes(a, b, 1.5);
        double[] expectedW = new double[w.length];
        double[] expectedMirror = new double[w.length];
        for (int i = 0; i < w.length; i++) {
            expectedW[i] = w[i] - 0.1 * 2.0 * product[i];
            expectedMirror[i] = mirror[i] - 0.1 * 3.0 * product[i];
        }
        assertClose(params.get("w").data().asDouble(), expectedW);
        assertClose(params.get("w-mirror").data().asDouble(), expectedMirror);
        for (int i = 0; i < bias.length; i++) {
            assertThat(params.get("b").getDouble(0, i)).isCloseTo(bias[i] - 0.05, Offset.offset(1e-15));
        }
    }

    @Test
    void descentOnAViewStoresTheProductAndAppliesItAfterThePass() {
        INDArray a = matrix(4, 2, 0);
        INDArray b = matrix(4, 3, 1);
        INDArray whole = matrix(2, 6, 2);
        INDArray view = whole.get(NDArrayIndex.all(), NDArrayIndex.interval(0, 3));
        Params params = new Params();
        params.put("w", view);
        double[] before = view.dup().data().asDouble();
        Gradients descent = Gradients.descent(params, Map.of("w", 1.0)).step(0.5);
        descent.product("w", view, a, b, true, false, 1.0);
        assertThat(view.dup().data().asDouble()).containsExactly(before);   // not yet: it waits for applyStored
        descent.applyStored();
        double[] product = transposeTimes(a, b, 1.0);
        double[] expected = new double[before.length];
        for (int i = 0; i < before.length; i++) {
            expected[i] = before[i] - 0.5 * product[i];
        }
        assertClose(view.dup().data().asDouble(), expected);
    }

    @Test
    void descentNeedsAMultiplierForEveryParameterAndAStepSize() {
        Params params = new Params();
        params.put("w", matrix(2, 2, 0));
        Gradients descent = Gradients.descent(params, Map.of()).step(0.1);
        INDArray a = matrix(3, 2, 1);
        INDArray b = matrix(3, 2, 2);
        assertThatThrownBy(() -> descent.product("w", params.get("w"), a, b, true, false, 1))
                .isInstanceOfSatisfying(FrameworkException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.UNKNOWN_NAME))
                .hasMessageContaining("'w'");
        assertThatThrownBy(() -> new Gradients().step(0.1))
                .isInstanceOfSatisfying(FrameworkException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                .hasMessageContaining("Gradients.descent");
        Gradients unset = Gradients.descent(params, Map.of("w", 1.0));
        assertThatThrownBy(() -> unset.product("w", params.get("w"), a, b, true, false, 1))
                .isInstanceOfSatisfying(FrameworkException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                .hasMessageContaining("step(eta)");
    }
}
