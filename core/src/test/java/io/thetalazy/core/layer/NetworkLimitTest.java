package io.thetalazy.core.layer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thetalazy.core.error.ErrorCode;
import io.thetalazy.core.error.FrameworkException;
import io.thetalazy.core.kernel.KernelFootprint;
import io.thetalazy.core.kernel.KernelMemory;
import io.thetalazy.core.kernel.KernelState;
import io.thetalazy.core.kernel.KernelTiling;
import io.thetalazy.core.param.NtkRule;
import io.thetalazy.core.param.StandardRule;
import io.thetalazy.core.testing.TestNetworks;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The limit in blocks ({@link Network#limit(INDArray, INDArray, KernelMemory)}) against the whole. */
final class NetworkLimitTest {
    static Stream<Arguments> networks() {
        return Stream.of(Arguments.of(Activations.RELU, false), Arguments.of(Activations.ERF, true),
                Arguments.of(Activations.TANH, false));
    }

    @ParameterizedTest
    @MethodSource("networks")
    void blocksGiveTheWholeLimit(Activation activation, boolean bias) {
        NetworkSpec spec = TestNetworks.spec(16, 3, 4, activation, bias ? new StandardRule(StandardRule.Gain.HE)
                : new NtkRule(), bias, false);
        Network network = TestNetworks.fcn(spec);
        INDArray x1 = TestNetworks.sphere(11, 4, 1);
        INDArray x2 = TestNetworks.sphere(7, 4, 2);
        for (INDArray second : new INDArray[] {x1, x2}) {
            KernelLimit whole = network.limit(x1, second);
            KernelMemory memory = memoryForBlocks(network, 11, second.size(0), 3);
            KernelTiling tiling = KernelTiling.plan(11, second.size(0), second == x1, 5, network.footprint(), memory);
            assertThat(tiling.rows()).isEqualTo(3);
            assertThat(tiling.blocks()).isEqualTo(second == x1 ? 10 : 12);
            KernelLimit blocks = network.limit(x1, second, memory);
            assertThat(relativeError(blocks.nngp(), whole.nngp())).isLessThan(1e-14);
            assertThat(relativeError(blocks.var1(), whole.var1())).isLessThan(1e-14);
            assertThat(relativeError(blocks.var2(), whole.var2())).isLessThan(1e-14);
            assertThat(blocks.layers()).hasSize(4);
            for (int l = 1; l <= 4; l++) {
                assertThat(relativeError(blocks.layer(l), whole.layer(l))).as("K^[%d]", l).isLessThan(1e-13);
            }
            if (second == x1) {
                assertThat(blocks.layer(1).sub(blocks.layer(1).transpose()).amaxNumber().doubleValue()).isZero();
            }
        }
    }

    @Test
    void refusesWhenOnePairDoesNotFit() {
        Network network = TestNetworks.fcn(16, 2, 4, Activations.RELU, new NtkRule());
        INDArray x = TestNetworks.sphere(5, 4, 3);
        assertThatThrownBy(() -> network.limit(x, x, KernelMemory.of(100, 100)))
                .isInstanceOf(FrameworkException.class)
                .satisfies(e -> assertThat(((FrameworkException) e).errorCode())
                        .isEqualTo(ErrorCode.INSUFFICIENT_MEMORY))
                .hasMessageStartingWith("the infinite-width limit of 5 x 5 input pairs needs about ")
                .hasMessageEndingWith("even in blocks, one pair needs 160 B beside the 880 B of the 5 x 5 results; "
                        + "raise the memory limits (-Xmx, -Dorg.bytedeco.javacpp.maxphysicalbytes; bin/thetalazy reads "
                        + "THETALAZY_JAVA_OPTS)");
    }

    /** |a - b|_F / |b|_F. */
    static double relativeError(INDArray a, INDArray b) {
        return a.distance2(b) / b.norm2Number().doubleValue();
    }

    /** Memory for which the plan takes blocks of {@code side} rows (results: nngp and L + 1 components). */
    static KernelMemory memoryForBlocks(Network network, long n1, long n2, long side) {
        KernelFootprint footprint = network.footprint();
        double results = Double.BYTES * ((network.trainables().size() + 1.0) * n1 * n2 + n1 + n2);
        long bytes = (long) Math.ceil((results + footprint.offHeapBytes(side, side) + footprint.pairBytes())
                / KernelTiling.HEADROOM);
        return KernelMemory.of(bytes, Long.MAX_VALUE / 2);
    }
}
