package io.thetalazy.cnn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thetalazy.core.error.FrameworkException;
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

final class FlattenTest {
    @BeforeAll
    static void doubles() {
        Fixtures.useDoubles();
    }

    @Test
    void flattensChannelMajorAndBack() {
        Flatten flatten = new Flatten();
        INDArray x = Nd4j.create(new double[] {1, 2, 3, 4, 5, 6, 7, 8}, new long[] {1, 2, 2, 2});
        Tape tape = new Tape();
        INDArray flat = flatten.apply(new Params(), x, tape);
        assertThat(flat.shape()).containsExactly(1, 8);
        assertThat(flat.dup().data().asDouble()).containsExactly(1, 2, 3, 4, 5, 6, 7, 8);
        INDArray back = flatten.backward(new Params(), tape, flat.mul(2), Gradients.discard());
        assertThat(back.shape()).containsExactly(1, 2, 2, 2);
        assertThat(back.getDouble(0, 1, 0, 1)).isEqualTo(12);
        assertThat(flatten.outputShape(Shape.of(3, 4, 5)).dimensions()).containsExactly(60);
    }

    @Test
    void kernelSumsTheSamePositionPairs() {
        // Diagonal [1, 1, 3] and full [1, 1, 3, 3] states with the same same-position entries 1, 2, 3.
        INDArray diagonal = Nd4j.create(new double[] {1, 2, 3}, new long[] {1, 1, 3});
        KernelState fromDiagonal = new Flatten().kernel(new KernelState(diagonal, diagonal.reshape(1, 3),
                diagonal.reshape(1, 3), List.of(diagonal.mul(10)), false, false, KernelLayout.DIAGONAL));
        assertThat(fromDiagonal.nngp().getDouble(0, 0)).isEqualTo(6);
        assertThat(fromDiagonal.layer(1).getDouble(0, 0)).isEqualTo(60);
        assertThat(fromDiagonal.var1().shape()).containsExactly(1);
        INDArray full = Nd4j.create(new double[] {1, 7, 7, 7, 2, 7, 7, 7, 3}, new long[] {1, 1, 3, 3});
        KernelState fromFull = new Flatten().kernel(new KernelState(full, full, full, List.of(full), false, false,
                KernelLayout.FULL));
        assertThat(fromFull.nngp().getDouble(0, 0)).isEqualTo(6);
        assertThat(fromFull.var1().getDouble(0)).isEqualTo(6);
        assertThat(fromFull.layer(1).getDouble(0, 0)).isEqualTo(6);
    }

    @Test
    void rejectsFeatureVectorsAndDenseStates() {
        assertThatThrownBy(() -> new Flatten().outputShape(Shape.of(5)))
                .isInstanceOf(FrameworkException.class)
                .hasMessage("flatten expects features [C, W] or [C, H, W], found [5]");
        INDArray dense = Nd4j.ones(2, 2);
        assertThatThrownBy(() -> new Flatten().kernel(new KernelState(dense, Nd4j.ones(2), Nd4j.ones(2), List.of())))
                .isInstanceOf(FrameworkException.class)
                .hasMessage("flatten needs a spatial kernel state (nngp [n1, n2, S...] with var [n, S...], or nngp "
                        + "[n1, n2, S..., S...] with var [n, 1, S..., S...]), found nngp [2, 2], var1 [2]");
    }
}
