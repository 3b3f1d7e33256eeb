package io.thetalazy.core.layer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.thetalazy.core.error.FrameworkException;
import io.thetalazy.core.init.Initializers;
import io.thetalazy.core.kernel.KernelState;
import io.thetalazy.core.param.LayerScaling;
import io.thetalazy.core.param.LayerSlot;
import io.thetalazy.core.param.Scaled;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

final class DenseTest {
    static {
        Numerics.useFloat64();
    }

    private static Dense layer(double s, boolean bias) {
        LayerSlot slot = new LayerSlot(1, 1, 2, 3, 3, 0, 2, 1);
        LayerScaling scaling = new LayerScaling(Scaled.constant(s), Scaled.constant(0.5), Scaled.ONE);
        Optional<LayerScaling> b = bias ? Optional.of(new LayerScaling(Scaled.constant(2), Scaled.constant(0), Scaled.ONE))
                : Optional.empty();
        return new Dense(new TrainableLayer("dense", slot, Shape.of(2, 3), scaling, b, Scaled.ONE, Initializers.GAUSSIAN,
                false));
    }

    @Test
    void computesForwardMultiplierTimesWeightsTimesInputPlusBias() {
        Params params = new Params();
        params.put("dense-1", Nd4j.createFromArray(new double[][] {{1, 1, 1}, {1, 0, -1}}));
        params.put("dense-1-bias", Nd4j.createFromArray(0.5, -0.5));
        INDArray x = Nd4j.createFromArray(new double[][] {{1, 2, 3}});
        INDArray out = layer(3, true).apply(params, x, new Tape());
        // 3 * (6, -2) + 2 * (0.5, -0.5)
        assertThat(out.toDoubleMatrix()).isEqualTo(new double[][] {{19, -7}});
    }

    @Test
    void rejectsInputsOfTheWrongWidth() {
        Params params = new Params();
        params.put("dense-1", Nd4j.ones(2, 3));
        assertThatThrownBy(() -> layer(1, false).apply(params, Nd4j.ones(4, 5), new Tape()))
                .isInstanceOf(FrameworkException.class)
                .hasMessage("dense-1 expects a batch of shape [n, 3], found [4, 5]");
        assertThatThrownBy(() -> layer(1, false).outputShape(Shape.of(4)))
                .hasMessageContaining("expects inputs of shape [3]");
    }

    @Test
    void kernelRuleScalesInPlaceWhereAllowedWithTheSameResult() {
        LayerSlot slot = new LayerSlot(1, 1, 2, 3, 3, 0, 2, 1);
        // gains inside: sigma^2 = (3 * 0.5)^2 * 3; bias variance and component (2 * 0.3)^2 (nu = init std)
        Dense dense = new Dense(new TrainableLayer("dense", slot, Shape.of(2, 3),
                new LayerScaling(Scaled.constant(3), Scaled.constant(0.5), Scaled.ONE),
                Optional.of(new LayerScaling(Scaled.constant(2), Scaled.constant(0.3), Scaled.ONE)), Scaled.ONE,
                Initializers.GAUSSIAN, true));
        INDArray nngp = Nd4j.rand(4, 4);
        INDArray own = Nd4j.rand(4, 4);
        INDArray foreign = Nd4j.rand(4, 4);
        double first = nngp.getDouble(0, 1);
        KernelState state = new KernelState(nngp, Nd4j.rand(4), Nd4j.rand(4), List.of(own, foreign, own));
        KernelState copied = dense.kernel(state);
        KernelState inPlace = dense.kernel(state.released(foreign));

        assertThat(inPlace.layers()).hasSize(4);
        assertThat(inPlace.nngp()).isSameAs(nngp);
        assertThat(inPlace.layer(1)).isSameAs(own).isSameAs(inPlace.layer(3));
        assertThat(inPlace.layer(2)).isNotSameAs(foreign);
        assertThat(inPlace.layer(4)).isNotSameAs(nngp);
        assertThat(inPlace.nngp().data().asDouble()).containsExactly(copied.nngp().data().asDouble());
        for (int l = 1; l <= 4; l++) {
            assertThat(inPlace.layer(l).data().asDouble()).as("K^[%d]", l)
                    .containsExactly(copied.layer(l).data().asDouble());
        }
        assertThat(copied.nngp().getDouble(0, 1)).isCloseTo(first * 6.75 + 0.36, within(1e-12));
        assertThat(copied.layer(4).getDouble(0, 1)).isCloseTo(first * 6.75 + 0.36, within(1e-12));
    }

    @Test
    void paramsRefuseAReplacementOfAnotherShape() {
        Params params = new Params();
        params.put("w", Nd4j.ones(2, 3));
        assertThatThrownBy(() -> params.put("w", Nd4j.ones(3, 2))).hasMessageContaining("has shape [2, 3]");
        assertThatThrownBy(() -> params.get("v")).hasMessageContaining("no parameter 'v'");
    }
}
