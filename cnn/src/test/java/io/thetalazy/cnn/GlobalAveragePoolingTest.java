package io.thetalazy.cnn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.thetalazy.core.kernel.KernelState;
import io.thetalazy.core.layer.Gradients;
import io.thetalazy.core.layer.Params;
import io.thetalazy.core.layer.Shape;
import io.thetalazy.core.layer.Tape;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

final class GlobalAveragePoolingTest {
    @BeforeAll
    static void doubles() {
        Fixtures.useDoubles();
    }

    @Test
    void averagesEachChannelOverPositionsAndSpreadsCotangentsEvenly() {
        GlobalAveragePooling pooling = new GlobalAveragePooling();
        INDArray x = Nd4j.create(new double[] {1, 2, 3, 4, 10, 20, 30, 40}, new long[] {1, 2, 2, 2});
        Tape tape = new Tape();
        INDArray mean = pooling.apply(new Params(), x, tape);
        assertThat(mean.shape()).containsExactly(1, 2);
        assertThat(mean.dup().data().asDouble()).containsExactly(new double[] {2.5, 25}, within(1e-15));
        INDArray back = pooling.backward(new Params(), tape, Nd4j.create(new double[] {4, 8}, new long[] {1, 2}),
                Gradients.discard());
        assertThat(back.shape()).containsExactly(1, 2, 2, 2);
        assertThat(back.dup().data().asDouble()).containsExactly(new double[] {1, 1, 1, 1, 2, 2, 2, 2}, within(1e-15));
        assertThat(pooling.outputShape(Shape.of(7, 3, 3)).dimensions()).containsExactly(7);
    }

    @Test
    void kernelAveragesOverAllPositionPairs() {
        INDArray full = Nd4j.create(new double[] {1, 2, 3, 4}, new long[] {1, 1, 2, 2});
        KernelState pooled = new GlobalAveragePooling().kernel(new KernelState(full, full, full, List.of(full.mul(2)),
                false, false, KernelLayout.FULL));
        assertThat(pooled.nngp().getDouble(0, 0)).isEqualTo(2.5);
        assertThat(pooled.var1().shape()).containsExactly(1);
        assertThat(pooled.var1().getDouble(0)).isEqualTo(2.5);
        assertThat(pooled.layer(1).getDouble(0, 0)).isEqualTo(5);
    }
}
