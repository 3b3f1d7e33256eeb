package io.thetalazy.cnn;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

final class WindowSumsTest {
    @BeforeAll
    static void doubles() {
        Fixtures.useDoubles();
    }

    static Stream<Arguments> geometries() {
        Stream.Builder<Arguments> all = Stream.builder();
        for (int halves = 1; halves <= 2; halves++) {
            all.add(Arguments.of(new int[] {9}, 3, 1, Padding.SAME, halves));
            all.add(Arguments.of(new int[] {9}, 4, 2, Padding.SAME, halves));
            all.add(Arguments.of(new int[] {8}, 3, 2, Padding.VALID, halves));
            all.add(Arguments.of(new int[] {7, 6}, 3, 1, Padding.SAME, halves));
            all.add(Arguments.of(new int[] {7, 6}, 2, 2, Padding.SAME, halves));
            all.add(Arguments.of(new int[] {7, 6}, 3, 1, Padding.VALID, halves));
            all.add(Arguments.of(new int[] {5, 5}, 5, 3, Padding.SAME, halves));
            all.add(Arguments.of(new int[] {7, 6}, 2, 1, Padding.SAME, halves));
            all.add(Arguments.of(new int[] {9}, 5, 1, Padding.VALID, halves));
            all.add(Arguments.of(new int[] {6, 7}, 4, 1, Padding.VALID, halves));
        }
        return all.build();
    }

    @ParameterizedTest
    @MethodSource("geometries")
    void blockSumsAreTheStridedViewSumsBitForBit(int[] input, int kernel, int stride, Padding padding, int halves) {
        Geometry geometry = Geometry.convolution("conv", input, kernel, stride, padding);
        long[] shape = new long[2 + halves * input.length];
        shape[0] = 3;
        shape[1] = 2;
        for (int h = 0; h < halves; h++) {
            for (int d = 0; d < input.length; d++) {
                shape[2 + h * input.length + d] = input[d];
            }
        }
        INDArray a = Nd4j.rand(DataType.DOUBLE, shape).subi(0.5);
        INDArray expected = geometry.sumOverOffsets(a, 2, halves, false);
        WindowSums sums = geometry.windowSums(halves);
        double[] in = a.dup('c').data().asDouble();
        double[] out = new double[6 * sums.outEntries()];
        double[] block = new double[sums.outEntries()];
        double[][] scratch = sums.scratch();
        for (int b = 0; b < 6; b++) {
            sums.sum(java.util.Arrays.copyOfRange(in, b * sums.inEntries(), (b + 1) * sums.inEntries()), block,
                    scratch);
            System.arraycopy(block, 0, out, b * sums.outEntries(), sums.outEntries());
        }
        assertThat((long) sums.outEntries() * 6).isEqualTo(expected.length());
        assertThat(out).containsExactly(expected.dup('c').data().asDouble());
    }
}
