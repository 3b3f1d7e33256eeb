package io.thetalazy.cnn;

import static org.assertj.core.api.Assertions.assertThat;

import io.thetalazy.core.testing.TestNetworks;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The batch columns against their definition entry by entry (float64 and float32), and their adjoint. */
final class GeometryTest {
    static {
        TestNetworks.useDoublePrecision();
    }

    /** 1-d and 2-d inputs, kernels 1-4, strides 1-3, both paddings (SAME with odd total padding among them). */
    static Stream<Arguments> geometries() {
        List<Arguments> all = new ArrayList<>();
        for (int[] input : new int[][] {{9}, {7, 6}, {5, 5}}) {
            for (int kernel : new int[] {1, 2, 3, 4}) {
                for (int stride : new int[] {1, 2, 3}) {
                    for (Padding padding : Padding.values()) {
                        all.add(Arguments.of(input, kernel, stride, padding));
                    }
                }
            }
        }
        return all.stream();
    }

    @ParameterizedTest
    @MethodSource("geometries")
    void batchColumnsAreThePatchesAndBatchColumnsToInputIsTheirAdjoint(int[] input, int kernel, int stride,
            Padding padding) {
        Geometry geometry = Geometry.convolution("conv", input, kernel, stride, padding);
        int n = 3;
        int channels = 2;
        long[] shape = new long[input.length + 2];
        shape[0] = n;
        shape[1] = channels;
        for (int d = 0; d < input.length; d++) {
            shape[2 + d] = input[d];
        }
        INDArray x = Nd4j.rand(DataType.DOUBLE, shape).subi(0.5);
        int positions = Math.toIntExact(geometry.outputPositions());
        int patch = channels * geometry.offsets();

        INDArray columns = geometry.batchColumns(x, Nd4j.create(DataType.DOUBLE, patch, (long) n * positions));
        assertThat(columns.sub(patches(x, input, geometry.output(), kernel, stride, padding)).amaxNumber()
                .doubleValue()).isZero();
        INDArray floats = geometry.batchColumns(x.castTo(DataType.FLOAT),
                Nd4j.create(DataType.FLOAT, patch, (long) n * positions));
        assertThat(floats.castTo(DataType.DOUBLE).sub(columns).amaxNumber().doubleValue()).isLessThan(1e-7);

        // <columns(x), c> = <x, columnsToInput(c)> for any c, into an array holding garbage
        INDArray c = Nd4j.rand(DataType.DOUBLE, patch, (long) n * positions).subi(0.5);
        double left = columns.mul(c).sumNumber().doubleValue();
        INDArray spread = geometry.batchColumnsToInput(c, Nd4j.rand(DataType.DOUBLE, shape));
        double right = x.mul(spread).sumNumber().doubleValue();
        assertThat(Math.abs(left - right)).isLessThan(1e-12 * (1 + Math.abs(left)));
        INDArray spreadFloats = geometry.batchColumnsToInput(c.castTo(DataType.FLOAT),
                Nd4j.rand(DataType.FLOAT, shape));
        assertThat(spreadFloats.castTo(DataType.DOUBLE).sub(spread).amaxNumber().doubleValue()).isLessThan(1e-5);
    }

    /**
     * The definition, one entry at a time: row (c, j), column (a, p) is x_a[c] at o(p) stride + j - padBefore, zero
     * outside; SAME pads (O - 1) stride + k - S in total, the smaller half before.
     */
    private static INDArray patches(INDArray x, int[] input, int[] output, int kernel, int stride, Padding padding) {
        int r = input.length;
        int n = (int) x.size(0);
        int channels = (int) x.size(1);
        int q = (int) Math.pow(kernel, r);
        int positions = 1;
        for (int o : output) {
            positions *= o;
        }
        int[] before = new int[r];
        for (int d = 0; d < r; d++) {
            before[d] = padding == Padding.SAME ? Math.max((output[d] - 1) * stride + kernel - input[d], 0) / 2 : 0;
        }
        INDArray expected = Nd4j.create(DataType.DOUBLE, (long) channels * q, (long) n * positions);
        for (int c = 0; c < channels; c++) {
            for (int j = 0; j < q; j++) {
                int[] offset = r == 1 ? new int[] {j} : new int[] {j / kernel, j % kernel};
                for (int a = 0; a < n; a++) {
                    for (int p = 0; p < positions; p++) {
                        int[] o = r == 1 ? new int[] {p} : new int[] {p / output[1], p % output[1]};
                        long[] at = new long[r + 2];
                        at[0] = a;
                        at[1] = c;
                        boolean inside = true;
                        for (int d = 0; d < r; d++) {
                            int i = o[d] * stride + offset[d] - before[d];
                            inside &= i >= 0 && i < input[d];
                            at[2 + d] = i;
                        }
                        expected.putScalar((long) c * q + j, (long) a * positions + p,
                                inside ? x.getDouble(at) : 0.0);
                    }
                }
            }
        }
        return expected;
    }
}
