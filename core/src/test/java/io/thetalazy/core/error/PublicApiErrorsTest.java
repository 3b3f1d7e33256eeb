package io.thetalazy.core.error;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thetalazy.core.kernel.Duals;
import io.thetalazy.core.kernel.KernelMemory;
import io.thetalazy.core.kernel.KernelState;
import io.thetalazy.core.layer.Activations;
import io.thetalazy.core.layer.KernelLimit;
import io.thetalazy.core.layer.Network;
import io.thetalazy.core.layer.Params;
import io.thetalazy.core.layer.Products;
import io.thetalazy.core.layer.Residual;
import io.thetalazy.core.layer.Serial;
import io.thetalazy.core.layer.Tape;
import io.thetalazy.core.param.LayerSlot;
import io.thetalazy.core.param.NtkRule;
import io.thetalazy.core.param.Scaled;
import io.thetalazy.core.testing.TestNetworks;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Bad arguments to the public API, across packages, fail with a {@link FrameworkException} and a fitting code. */
final class PublicApiErrorsTest {
    static {
        TestNetworks.useDoublePrecision();
    }

    @Test
    void argumentsOutOfRangeAreInvalidArguments() {
        assertFails(() -> new Serial(List.of()), ErrorCode.INVALID_ARGUMENT,
                "a serial layer needs at least one layer, found an empty list");
        assertFails(() -> KernelMemory.of(-1, 0), ErrorCode.INVALID_ARGUMENT,
                "memory must be non-negative, found -1 off-heap and 0 heap bytes");
        assertFails(() -> new LayerSlot(4, 2, 8, 3, 8, 1, 8, 1), ErrorCode.INVALID_ARGUMENT,
                "layer index must be in 1..3, found 4");
        assertFails(() -> new Tape().array("input"), ErrorCode.INVALID_ARGUMENT,
                "tape has no 'input': run apply (and backward for cotangents) first");
        INDArray kernel = Nd4j.eye(2);
        assertFails(() -> new KernelState(kernel, Nd4j.ones(2), Nd4j.ones(2), List.of(), true).layerSum(),
                ErrorCode.INVALID_ARGUMENT, "no per-layer components yet: apply the network's kernel rule first");

        Network network = TestNetworks.fcn(4, 1, 3, Activations.RELU, new NtkRule());
        INDArray x = TestNetworks.sphere(2, 3, 1);
        KernelLimit limit = network.limit(x, x);
        assertFails(() -> limit.layer(0), ErrorCode.INVALID_ARGUMENT, "layer index must be in 1..2, found 0");
        assertFails(() -> limit.weightedSum(List.of(1.0)), ErrorCode.INVALID_ARGUMENT,
                "need one mobility per layer: 2 layers, 1 mobilities");
    }

    @Test
    void nonFiniteNumbersAreNonFiniteValues() {
        assertFails(() -> new Scaled(Double.NaN, 0), ErrorCode.NON_FINITE_VALUE,
                "scaled value must be finite, found NaN m^0.0");
        assertFails(() -> Duals.leakyRelu(Double.POSITIVE_INFINITY), ErrorCode.NON_FINITE_VALUE,
                "leaky-relu slope must be finite, found Infinity");
        Network network = TestNetworks.fcn(4, 1, 3, Activations.RELU, new NtkRule());
        assertFails(() -> new Residual(network.body(), Double.NaN), ErrorCode.NON_FINITE_VALUE,
                "branch multiplier must be finite, found NaN");
    }

    @Test
    void missingNamesAreUnknownNames() {
        Params params = new Params();
        params.put("layer-1", Nd4j.ones(2, 2));
        assertFails(() -> params.get("missing"), ErrorCode.UNKNOWN_NAME,
                "no parameter 'missing'; present: [layer-1]");
    }

    @Test
    void shapesThatDoNotFitAreShapeMismatches() {
        assertFails(() -> Products.gemm(Nd4j.ones(2, 3), Nd4j.ones(4, 2), Nd4j.zeros(2, 2), false, false, 1, 0),
                ErrorCode.SHAPE_MISMATCH, "gemm shapes do not match: op(a) of [2, 3], op(b) of [4, 2] into [2, 2]");
        assertFails(() -> new KernelState(Nd4j.ones(2, 3), Nd4j.ones(2), Nd4j.ones(3), List.of(), true),
                ErrorCode.SHAPE_MISMATCH, "a symmetric state needs a square nngp [n, n], found [2, 3]");
    }

    private static void assertFails(ThrowingCallable call, ErrorCode code, String message) {
        assertThatThrownBy(call)
                .isInstanceOfSatisfying(FrameworkException.class, e -> assertThat(e.errorCode()).isEqualTo(code))
                .hasMessage(message);
    }
}
