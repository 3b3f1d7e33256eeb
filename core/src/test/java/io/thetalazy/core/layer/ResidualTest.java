package io.thetalazy.core.layer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thetalazy.core.error.ErrorCode;
import io.thetalazy.core.error.FrameworkException;
import io.thetalazy.core.kernel.GaussianDual;
import io.thetalazy.core.kernel.KernelState;
import io.thetalazy.core.kernel.StateLayout;
import io.thetalazy.core.param.NtkRule;
import io.thetalazy.core.testing.TestNetworks;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

final class ResidualTest {
    private static final NetworkSpec SPEC = TestNetworks.spec(4, 3, 4, Activations.RELU, new NtkRule(), false, false);

    private static Dense dense(int index) {
        return new Dense(TrainableLayer.of(SPEC, "dense", index, Shape.of(4, 4), 4, 1, 4, 1).withGainInside(true));
    }

    private static Residual block(double tau) {
        return new Residual(Serial.of(dense(2), new ActivationLayer(Activations.RELU), dense(3)), tau);
    }

    private static final INDArray X = TestNetworks.sphere(5, 4, 3);

    private static INDArray x() {
        return X;
    }

    /** The state after a dense layer: Gaussian features. */
    private static KernelState gaussianState() {
        return dense(1).kernel(KernelState.ofInputs(x(), x()));
    }

    @Test
    void forwardAddsTheScaledBranchToTheInput() {
        Params params = new Params();
        params.put("dense-2", Nd4j.eye(4).muli(2));
        params.put("dense-3", Nd4j.eye(4).muli(4));
        INDArray x = Nd4j.create(new double[][] {{1, -1, 2, -2}});
        INDArray y = block(0.5).apply(params, x, new Tape());
        // ntk rule: s = 1/sqrt(4); branch relu(x) times 2 * 4 / 4 = 2 relu(x), times tau 0.5
        assertThat(y.ravel().toDoubleVector()).containsExactly(2, -1, 4, -2);
    }

    @Test
    void zeroMultiplierGivesTheSkipExactlyAndZeroBranchComponents() {
        KernelState in = gaussianState();
        KernelState out = block(0).kernel(in);
        assertThat(out.nngp().ravel().toDoubleVector()).containsExactly(in.nngp().ravel().toDoubleVector());
        assertThat(out.layer(1).ravel().toDoubleVector()).containsExactly(in.layer(1).ravel().toDoubleVector());
        assertThat(out.layers()).hasSize(3);
        assertThat(out.layer(2).amaxNumber().doubleValue()).isZero();
        assertThat(out.layer(3).amaxNumber().doubleValue()).isZero();
        assertThat(out.gaussian()).isTrue();
    }

    @Test
    void kernelLeavesItsInputStateUntouched() {
        KernelState in = gaussianState();
        double[] before = in.nngp().ravel().toDoubleVector();
        double[] component = in.layer(1).ravel().toDoubleVector();
        block(1).kernel(in.released());
        assertThat(in.nngp().ravel().toDoubleVector()).containsExactly(before);
        assertThat(in.layer(1).ravel().toDoubleVector()).containsExactly(component);
    }

    @Test
    void refusesInputsThatAreNotGaussian() {
        assertThatThrownBy(() -> block(1).kernel(KernelState.ofInputs(x(), x())))
                .isInstanceOf(FrameworkException.class)
                .hasMessageStartingWith("a residual sum needs inputs that are Gaussian in the limit")
                .hasMessageContaining("put a dense or convolutional layer before the block")
                .extracting(e -> ((FrameworkException) e).errorCode()).isEqualTo(ErrorCode.NO_KERNEL_RULE);
        Layer afterActivation = Serial.of(dense(1), new ActivationLayer(Activations.RELU), block(1));
        assertThatThrownBy(() -> afterActivation.kernel(KernelState.ofInputs(x(), x())))
                .isInstanceOf(FrameworkException.class)
                .hasMessageStartingWith("a residual sum needs inputs that are Gaussian in the limit");
    }

    @Test
    void refusesABranchThatEndsInAnActivation() {
        Residual open = new Residual(Serial.of(dense(2), new ActivationLayer(Activations.RELU)), 1);
        assertThatThrownBy(() -> open.kernel(gaussianState()))
                .isInstanceOf(FrameworkException.class)
                .hasMessageStartingWith("a residual sum needs a branch whose output is Gaussian in the limit")
                .hasMessageContaining("end the branch with a dense or convolutional layer");
    }

    @Test
    void refusesStatesOfDifferentLayouts() {
        Residual reshaping = new Residual(new SpatialState(), 1);
        assertThatThrownBy(() -> reshaping.kernel(gaussianState()))
                .isInstanceOf(FrameworkException.class)
                .hasMessageStartingWith("a residual sum needs skip and branch states of one layout, found dense nngp "
                        + "[5, 5], var1 [5], var2 [5] (skip) and positions nngp [5, 5, 1], var1 [5, 1], var2 [5, 1] "
                        + "(branch)")
                .extracting(e -> ((FrameworkException) e).errorCode()).isEqualTo(ErrorCode.SHAPE_MISMATCH);
    }

    @Test
    void refusesABranchThatChangesTheShape() {
        Dense wider = new Dense(TrainableLayer.of(SPEC, "dense", 2, Shape.of(3, 4), 4, 1, 3, 1));
        assertThatThrownBy(() -> new Residual(wider, 1).outputShape(Shape.of(4)))
                .isInstanceOf(FrameworkException.class)
                .hasMessage("a residual branch must keep the shape of its input to be added to it: input [4], "
                        + "branch output [3]");
    }

    /** A branch whose rule gives a one-position layout of its own: the layouts differ though the outputs agree. */
    private record Positions() implements StateLayout {
        @Override
        public String name() {
            return "positions";
        }

        @Override
        public KernelState activation(GaussianDual dual, KernelState state) {
            throw new UnsupportedOperationException();
        }
    }

    private record SpatialState() implements Layer {
        @Override
        public Shape outputShape(Shape input) {
            return input;
        }

        @Override
        public INDArray apply(Params params, INDArray input, Tape tape) {
            return input;
        }

        @Override
        public INDArray backward(Params params, Tape tape, INDArray cotangent, Gradients into) {
            return cotangent;
        }

        @Override
        public KernelState kernel(KernelState state) {
            long n1 = state.nngp().size(0);
            long n2 = state.nngp().size(1);
            return new KernelState(state.nngp().reshape(n1, n2, 1), state.var1().reshape(n1, 1),
                    state.var2().reshape(n2, 1), List.of(), false, true, new Positions());
        }
    }
}
