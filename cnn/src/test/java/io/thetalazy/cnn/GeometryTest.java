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

/** The native channel-major columns against the view-based im2col, and col2im as their adjoint. */
final class GeometryTest {
    static {
        TestNetworks.useDoublePrecision();
    }

    /** 1-d and 2-d inputs, kernels 1-5, strides 1-3, both paddings: native and fallback (asymmetric SAME) paths. */
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
    void columnsAreTheTransposedPatchesAndColumnsToInputIsTheirAdjoint(int[] input, int kernel, int stride,
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
        long positions = geometry.outputPositions();
        long patch = (long) channels * geometry.offsets();

        INDArray columns = geometry.columns(x, Nd4j.create(DataType.DOUBLE, n, patch, positions));
        INDArray rows = geometry.im2col(x).reshape(n, positions, patch);
        assertThat(columns.sub(rows.permute(0, 2, 1)).amaxNumber().doubleValue()).isZero();

        // <columns(x), c> = <x, columnsToInput(c)> for any c
        INDArray c = Nd4j.rand(DataType.DOUBLE, n, patch, positions).subi(0.5);
        double left = columns.mul(c).sumNumber().doubleValue();
        double right = x.mul(geometry.columnsToInput(c, Nd4j.create(DataType.DOUBLE, shape))).sumNumber().doubleValue();
        assertThat(Math.abs(left - right)).isLessThan(1e-12 * (1 + Math.abs(left)));
    }
}
