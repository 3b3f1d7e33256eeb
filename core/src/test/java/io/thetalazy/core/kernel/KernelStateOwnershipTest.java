package io.thetalazy.core.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import io.thetalazy.core.layer.Numerics;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** The one ownership model of kernel states: who may overwrite which array. */
class KernelStateOwnershipTest {
    @BeforeAll
    static void float64() {
        Numerics.useFloat64();
    }

    private static INDArray matrix() {
        return Nd4j.rand(DataType.DOUBLE, 4, 4);
    }

    private static INDArray vector() {
        return Nd4j.rand(DataType.DOUBLE, 4);
    }

    @Test
    void aBuiltStateOwnsNothingAndAReleasedOneEverything() {
        INDArray component = matrix();
        KernelState built = new KernelState(matrix(), vector(), vector(), List.of(component));
        assertThat(built.owns(built.nngp())).isFalse();
        assertThat(built.mayOverwrite(component)).isFalse();
        KernelState released = built.released();
        assertThat(released.mayOverwrite(released.nngp())).isTrue();
        assertThat(released.mayOverwrite(component)).isTrue();
        assertThat(released.lent().owns(component)).isFalse();
        INDArray x = vector();
        KernelState inputs = KernelState.ofInputs(x.reshape(4, 1), x.reshape(4, 1));
        assertThat(inputs.owns(inputs.nngp())).as("ofInputs owns nothing until released").isFalse();
    }

    @Test
    void releasedKeepsTheMemoryOfTheNamedArraysAndOfTheirViews() {
        INDArray input = Nd4j.rand(DataType.DOUBLE, 8, 4);
        INDArray view = input.get(NDArrayIndex.interval(0, 4), NDArrayIndex.all());
        KernelState state = new KernelState(matrix(), vector(), vector(), List.of(view)).released(input);
        assertThat(state.owns(view)).isFalse();
        assertThat(state.owns(state.nngp())).isTrue();
    }

    @Test
    void anArrayHeldInTwoRolesOrAsAViewOfAnotherIsShared() {
        INDArray nngp = matrix();
        INDArray repeated = matrix();
        KernelState state = new KernelState(nngp, vector(), vector(), List.of(nngp, repeated, repeated)).released();
        assertThat(state.owns(nngp)).isTrue();
        assertThat(state.mayOverwrite(nngp)).as("component and covariance").isFalse();
        assertThat(state.mayOverwrite(repeated)).as("one array listed twice is one role").isTrue();
        INDArray whole = Nd4j.rand(DataType.DOUBLE, 8, 4);
        INDArray half = whole.get(NDArrayIndex.interval(4, 8), NDArrayIndex.all());
        KernelState views = new KernelState(matrix(), vector(), vector(), List.of(whole, half)).released();
        assertThat(views.mayOverwrite(whole)).isFalse();
        assertThat(views.mayOverwrite(half)).isFalse();
        INDArray shared = vector();
        assertThat(new KernelState(matrix(), shared, shared, List.of()).released().mayOverwrite(shared)).isFalse();
    }

    @Test
    void aDerivedStateOwnsWhatItsInputOwnedAndTheRulesFreshArrays() {
        INDArray kept = matrix();
        INDArray lentComponent = matrix();
        KernelState input = new KernelState(matrix(), vector(), vector(), List.of(kept, lentComponent))
                .released(lentComponent);
        INDArray fresh = matrix();
        KernelState result = input.derive(fresh, input.var1(), input.var2(), List.of(kept, lentComponent, fresh),
                false, true);
        assertThat(result.owns(kept)).isTrue();
        assertThat(result.owns(lentComponent)).isFalse();
        assertThat(result.mayOverwrite(fresh)).as("held twice: nngp and a component").isFalse();
        assertThat(result.owns(fresh)).isTrue();
        assertThat(result.gaussian()).isTrue();
        KernelState lent = input.lent().derive(fresh, input.var1(), input.var2(), List.of(kept), false, false);
        assertThat(lent.owns(kept)).as("a lent array stays lent").isFalse();
        assertThat(lent.owns(fresh)).isTrue();
        INDArray appended = matrix();
        assertThat(input.addLayer(appended).owns(appended)).as("addLayer takes no ownership").isFalse();
    }

    @Test
    void scalingTheComponentsOverwritesOnlyWhatTheStateMay() {
        INDArray own = matrix();
        INDArray lentComponent = matrix();
        INDArray before = lentComponent.dup();
        KernelState state = new KernelState(matrix(), vector(), vector(), List.of(own, lentComponent, own))
                .released(lentComponent);
        KernelState scaled = state.scaleLayers(2.0);
        assertThat(scaled.layer(1)).isSameAs(own).isSameAs(scaled.layer(3));
        assertThat(scaled.layer(2)).isNotSameAs(lentComponent);
        assertThat(lentComponent).isEqualTo(before);
        assertThat(scaled.layer(2)).isEqualTo(before.mul(2.0));
        assertThat(scaled.owns(scaled.layer(2))).isTrue();
    }
}
