package io.thetalazy.kernels.predict;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.thetalazy.core.layer.Network;
import io.thetalazy.core.layer.Params;
import io.thetalazy.core.param.StandardRule;
import io.thetalazy.core.param.ThetaLazyRule;
import io.thetalazy.core.testing.TestNetworks;
import io.thetalazy.kernels.empirical.EmpiricalKernels;
import io.thetalazy.kernels.empirical.TangentKernels;
import io.thetalazy.core.layer.KernelLimit;
import io.thetalazy.kernels.limit.LimitKernels;
import io.thetalazy.kernels.testing.TestActivations;
import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

final class RatesTest {
    static {
        TestNetworks.useDoublePrecision();
    }

    private static final INDArray X = TestNetworks.sphere(6, 3, 3);

    @Test
    void ratesAreLabelledAndOrdered() {
        // theta-lazy with init exponents b = (0.1, 0, 0.2): mobilities m^{2 b_l} differ by layer
        Network network = TestNetworks.fcn(2048, 2, 3, TestActivations.relu(),
                new ThetaLazyRule(0.25, 1, List.of(0.1, 0.0, 0.2)));
        Params params = network.init(8);
        TangentKernels initial = EmpiricalKernels.of(network).compute(params, X);
        KernelLimit limit = LimitKernels.of(network).compute(X);
        double eta = 0.3;
        Rates rates = Rates.of(eta, initial, limit.layers(), limit.lambdaS());

        assertThat(rates.empirical().label()).isEqualTo("r_0");
        assertThat(rates.limit().orElseThrow().label()).isEqualTo("r_inf");
        assertThat(rates.llz().orElseThrow().label()).isEqualTo("r_LLZ");
        assertThat(rates.notes()).isEmpty();
        assertThat(rates.empirical().value())
                .isCloseTo(2 * eta * Spectra.lambdaMin(initial.train()) / 6, within(1e-15));
        double kappa2OverM = initial.kappa() * initial.kappa() / 2048;
        assertThat(rates.limit().orElseThrow().value()).isCloseTo(2 * eta * kappa2OverM
                * Spectra.lambdaMin(limit.weightedSum(initial.mobilities())) / 6, within(1e-12));
        double mobilitySum = initial.mobilities().stream().mapToDouble(Double::doubleValue).sum();
        assertThat(rates.llz().orElseThrow().value()).isCloseTo(2 * eta * kappa2OverM * mobilitySum
                * limit.lambdaS().getAsDouble() / 6, within(1e-12));
        assertThat(rates.llz().orElseThrow().value()).isLessThanOrEqualTo(rates.limit().orElseThrow().value());
        // at m = 2048 the empirical rate is close to its limit
        assertThat(rates.empirical().value() / rates.limit().orElseThrow().value()).isCloseTo(1, within(0.15));
    }

    @Test
    void missingLimitAndLambdaSAreNoted() {
        Network network = TestNetworks.fcn(32, 1, 3, TestActivations.linear(), new StandardRule(StandardRule.Gain.HE));
        TangentKernels initial = EmpiricalKernels.of(network).compute(network.init(1), X);
        KernelLimit limit = LimitKernels.of(network).compute(X);

        Rates withoutLambdaS = Rates.of(0.1, initial, limit.layers(), limit.lambdaS());
        assertThat(withoutLambdaS.limit()).isPresent();
        assertThat(withoutLambdaS.llz()).isEmpty();
        assertThat(withoutLambdaS.notes()).containsExactly("r_LLZ: lambda_S = 0: no rate prediction");

        Rates withoutLimit = Rates.of(0.1, initial, List.of(), OptionalDouble.empty());
        assertThat(withoutLimit.limit()).isEmpty();
        assertThat(withoutLimit.notes()).containsExactly("r_inf and r_LLZ: no infinite-width limit given");
        assertThat(withoutLimit.empirical().toString()).startsWith("r_0 = ")
                .endsWith("(2 eta lambda_min(Theta_train(0)) / n, empirical)");
    }
}
