package io.thetalazy.kernels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thetalazy.core.error.ErrorCode;
import io.thetalazy.core.error.FrameworkException;
import io.thetalazy.core.layer.Activations;
import io.thetalazy.core.layer.Network;
import io.thetalazy.core.param.NtkRule;
import io.thetalazy.core.testing.TestNetworks;
import io.thetalazy.kernels.empirical.TangentKernels;
import io.thetalazy.kernels.limit.LimitKernels;
import io.thetalazy.kernels.montecarlo.MonteCarloKernels;
import io.thetalazy.kernels.predict.LinearizedDynamics;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Bad arguments to the kernels module's public API fail with a {@link FrameworkException} and a fitting code. */
final class PublicApiErrorsTest {
    static {
        TestNetworks.useDoublePrecision();
    }

    @Test
    void badArgumentsAreFrameworkExceptions() {
        Network network = TestNetworks.fcn(4, 1, 3, Activations.RELU, new NtkRule());
        INDArray x = TestNetworks.sphere(2, 3, 1);
        assertFails(() -> LimitKernels.of(network).withTolerance(2), ErrorCode.INVALID_ARGUMENT,
                "tolerance must be in [0, 1), found 2.0");
        assertFails(() -> MonteCarloKernels.estimate(network, x, null, 0, 1), ErrorCode.INVALID_ARGUMENT,
                "the number of seeds must be positive, found 0");
        assertFails(() -> LinearizedDynamics.of(Nd4j.eye(2), Double.NaN), ErrorCode.INVALID_ARGUMENT,
                "the base step eta must be positive and finite, found NaN");

        TangentKernels kernels = new TangentKernels(List.of(Nd4j.eye(2), Nd4j.eye(2)), List.of(1.0, 1.0), 1, 4, true);
        assertFails(() -> kernels.theta(3), ErrorCode.INVALID_ARGUMENT, "layer index must be in 1..2, found 3");
        assertFails(() -> new TangentKernels(List.of(Nd4j.eye(2)), List.of(1.0, 1.0), 1, 4, true),
                ErrorCode.INVALID_ARGUMENT, "need one mobility per layer: 1 layers, 2 mobilities");
        assertFails(() -> new TangentKernels(List.of(Nd4j.eye(2), Nd4j.eye(3)), List.of(1.0, 1.0), 1, 4, true),
                ErrorCode.SHAPE_MISMATCH, "every Theta_l must be [n1, n2] of one shape, found [[2, 2], [3, 3]]");
    }

    private static void assertFails(ThrowingCallable call, ErrorCode code, String message) {
        assertThatThrownBy(call)
                .isInstanceOfSatisfying(FrameworkException.class, e -> assertThat(e.errorCode()).isEqualTo(code))
                .hasMessage(message);
    }
}
