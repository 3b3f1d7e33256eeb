package io.thetalazy.cnn;

import static io.thetalazy.cnn.Fixtures.relativeError;
import static org.assertj.core.api.Assertions.assertThat;

import io.thetalazy.core.kernel.KernelState;
import io.thetalazy.core.layer.KernelLimit;
import io.thetalazy.core.layer.Activation;
import io.thetalazy.core.layer.Activations;
import io.thetalazy.core.layer.Network;
import io.thetalazy.core.layer.Shape;
import io.thetalazy.core.param.NtkRule;
import io.thetalazy.core.param.StandardRule;
import io.thetalazy.core.testing.LogLogFit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The cnn kernel rules with core's own duals (core.kernel.Duals) on the spatial layouts: they must agree with the
 * test-only closed forms used by the other kernel tests. Skipped while core's duals are stubs.
 */
final class CoreDualsTest {
    @BeforeAll
    static void doubles() {
        Fixtures.useDoubles();
    }

    @BeforeEach
    void requireCoreDuals() {
    }

    static Stream<Arguments> cases() {
        return Stream.of(Arguments.of(Activations.RELU, TestDuals.RELU, Readout.FLATTEN, Shape.of(2, 6)),
                Arguments.of(Activations.RELU, TestDuals.RELU, Readout.GLOBAL_AVERAGE, Shape.of(2, 4, 3)),
                Arguments.of(Activations.ERF, TestDuals.ERF, Readout.FLATTEN, Shape.of(2, 5, 4)),
                Arguments.of(Activations.ERF, TestDuals.ERF, Readout.GLOBAL_AVERAGE, Shape.of(2, 6)));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void coreDualsGiveTheClosedFormKernels(Activation core, Activation closedForm, Readout readout, Shape input) {
        INDArray x1 = Fixtures.input(3, input, "duals-x1");
        INDArray x2 = Fixtures.input(2, input, "duals-x2");
        CnnOptions options = CnnOptions.defaults().withReadout(readout);
        StandardRule he = new StandardRule(StandardRule.Gain.HE);
        KernelLimit expected = new CnnArchitecture().network(Fixtures.spec(input, 4, 2, closedForm, he, true, options))
                .limit(x1, x2);
        KernelLimit actual = new CnnArchitecture().network(Fixtures.spec(input, 4, 2, core, he, true, options))
                .limit(x1, x2);
        double worst = 0;
        for (int l = 1; l <= 3; l++) {
            double error = relativeError(actual.layer(l), expected.layer(l));
            assertThat(error).as("K^[%d]", l).isLessThan(1e-10);
            worst = Math.max(worst, error);
        }
        System.out.printf("core duals, %s %s %s: worst relative difference %.2e%n", core.name(), readout.label(), input,
                worst);
    }

    @Test
    void kernelMatchesMonteCarloWithCoreRelu() {
        Shape input = Shape.of(2, 6);
        INDArray x = Fixtures.input(3, input, "mc-x");
        int[] widths = {8, 16, 32, 64, 128};
        double[] m = new double[widths.length];
        double[] rms = new double[widths.length];
        for (int i = 0; i < widths.length; i++) {
            Network network = new CnnArchitecture().network(Fixtures.spec(input, widths[i], 2, Activations.RELU,
                    new NtkRule(), false, CnnOptions.defaults()));
            m[i] = widths[i];
            rms[i] = Fixtures.rmsError(network, x, network.limit(x, x), 16);
        }
        double slope = LogLogFit.slope(m, rms);
        System.out.printf("Monte Carlo with core relu: RMS errors %s, slope %.3f%n", java.util.Arrays.toString(rms),
                slope);
        assertThat(slope).isBetween(-0.65, -0.35);
    }
}
