package io.thetalazy.core.layer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thetalazy.core.error.ErrorCode;
import io.thetalazy.core.error.FrameworkException;
import org.junit.jupiter.api.Test;

final class TrainableLayerTest {
    private final NetworkSpec spec = NetworkSpec.builder("any").width(4).depth(2).inputShape(Shape.of(8)).build();

    @Test
    void fanInMustMatchTheWeightShape() {
        assertThat(TrainableLayer.of(spec, "dense", 1, Shape.of(4, 8), 8, 0, 4, 1).slot().fanIn()).isEqualTo(8);
        assertThat(TrainableLayer.of(spec, "conv", 1, Shape.of(4, 2, 3, 3), 18, 1, 4, 1).name()).isEqualTo("conv-1");
        assertThatThrownBy(() -> TrainableLayer.of(spec, "dense", 1, Shape.of(4, 8), 5, 0, 4, 1))
                .isInstanceOf(FrameworkException.class)
                .hasMessage("dense-1 declares fan-in 5, but its weight [4, 8] has 8 entries per output unit")
                .extracting(e -> ((FrameworkException) e).errorCode()).isEqualTo(ErrorCode.SHAPE_MISMATCH);
        assertThat(TrainableLayer.of(spec, "conv", 2, Shape.of(4, 2, 3, 3), 1, 4, 1).slot())
                .isEqualTo(TrainableLayer.of(spec, "conv", 2, Shape.of(4, 2, 3, 3), 18, 1, 4, 1).slot());
    }
}
