package io.thetalazy.kernels.empirical;

import static io.thetalazy.kernels.testing.Matrices.relativeError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thetalazy.core.error.ErrorCode;
import io.thetalazy.core.error.FrameworkException;
import io.thetalazy.core.kernel.KernelState;
import io.thetalazy.core.layer.Activation;
import io.thetalazy.core.layer.ActivationLayer;
import io.thetalazy.core.layer.Activations;
import io.thetalazy.core.layer.Dense;
import io.thetalazy.core.layer.Gradients;
import io.thetalazy.core.layer.Layer;
import io.thetalazy.core.layer.Network;
import io.thetalazy.core.layer.NetworkSpec;
import io.thetalazy.core.layer.Params;
import io.thetalazy.core.layer.Serial;
import io.thetalazy.core.layer.Shape;
import io.thetalazy.core.layer.Tape;
import io.thetalazy.core.layer.TrainableLayer;
import io.thetalazy.core.param.NtkRule;
import io.thetalazy.core.param.ScalingRule;
import io.thetalazy.core.param.StandardRule;
import io.thetalazy.core.param.ThetaLazyRule;
import io.thetalazy.core.testing.TestNetworks;
import io.thetalazy.kernels.testing.BiasedRule;
import io.thetalazy.kernels.testing.Matrices;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

final class EmpiricalKernelsTest {
    static {
        TestNetworks.useDoublePrecision();
    }

    private static final double ORACLE_TOLERANCE = 1e-10;
    private static final List<Activation> ACTIVATIONS = List.of(Activations.RELU, Activations.leakyRelu(0.2),
            Activations.LINEAR, Activations.TANH, Activations.ERF, Activations.SIGMOID, Activations.GELU,
            Activations.SOFTPLUS);

    /**
     * Every activation and depth, each with four (bias, antisymmetric, distinct x2) variants that take every pair of
     * settings (a pairwise design); {@code -Dtests.gridCases=all} runs all eight.
     */
    static Stream<Arguments> contractionMatchesExplicitGradients() {
        boolean all = "all".equals(System.getProperty("tests.gridCases"));
        int[] variants = all ? new int[] {0, 1, 2, 3, 4, 5, 6, 7} : new int[] {0, 3, 5, 6};
        List<ScalingRule> rules = List.of(new NtkRule(), new StandardRule(StandardRule.Gain.HE),
                new ThetaLazyRule(0.3, 2, List.of(0.2)));
        List<Arguments> cases = new ArrayList<>();
        int k = 0;
        for (Activation activation : ACTIVATIONS) {
            for (int depth = 1; depth <= 3; depth++) {
                for (int variant : variants) {
                    boolean bias = (variant & 1) != 0;
                    boolean antisymmetric = (variant & 2) != 0;
                    boolean distinct = (variant & 4) != 0;
                    ScalingRule rule = bias && k % 2 == 0 ? new BiasedRule() : rules.get(k % rules.size());
                    cases.add(Arguments.of(activation.name(), activation, depth, rule, bias, antisymmetric, distinct));
                    k++;
                }
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} depth {2} {3} bias={4} antisymmetric={5} distinct={6}")
    @MethodSource
    void contractionMatchesExplicitGradients(String name, Activation activation, int depth, ScalingRule rule,
            boolean bias, boolean antisymmetric, boolean distinct) {
        Network network = TestNetworks.fcn(TestNetworks.spec(6, depth, 3, activation, rule, bias, antisymmetric));
        Params params = network.init(11);
        Matrices.perturb(params, 0.3, 5);
        INDArray x1 = TestNetworks.sphere(5, 3, 1);
        INDArray x2 = distinct ? TestNetworks.sphere(4, 3, 2) : null;

        TangentKernels contracted = EmpiricalKernels.of(network).compute(params, x1, x2);
        TangentKernels explicit = ExplicitGradientKernels.of(network).compute(params, x1, x2);

        assertThat(contracted.layerCount()).isEqualTo(depth + 1);
        assertThat(contracted.symmetric()).isEqualTo(!distinct);
        for (int l = 1; l <= depth + 1; l++) {
            assertThat(contracted.theta(l).shape()).containsExactly(5, distinct ? 4 : 5);
            assertThat(explicit.theta(l).norm2Number().doubleValue()).isPositive();
            assertThat(relativeError(contracted.theta(l), explicit.theta(l))).as("Theta_%d", l)
                    .isLessThan(ORACLE_TOLERANCE);
        }
    }

    @ParameterizedTest(name = "bias={0} antisymmetric={1}")
    @org.junit.jupiter.params.provider.CsvSource({"false, false", "true, true"})
    void kernelsOnATrainersForwardPassMatchTheExplicitGradientsAndLeaveItsGradientsUnchanged(boolean bias,
            boolean antisymmetric) {
        Network network = TestNetworks.fcn(TestNetworks.spec(6, 2, 3, Activations.TANH, bias ? new BiasedRule()
                : new NtkRule(), bias, antisymmetric));
        Params params = network.init(4);
        Matrices.perturb(params, 0.3, 8);
        INDArray x = TestNetworks.sphere(5, 3, 1);
        INDArray cotangent = TestNetworks.sphere(5, 2, 2).getColumn(0).reshape(5, 1).dup();
        Gradients alone = network.gradients(params, network.forward(params, x, new Tape()), cotangent);

        Tape tape = new Tape();
        Network.Forward forward = network.forward(params, x, tape);
        TangentKernels onForward = EmpiricalKernels.of(network).compute(params, forward);
        TangentKernels explicit = ExplicitGradientKernels.of(network).compute(params, x, null);
        for (int l = 1; l <= 3; l++) {
            assertThat(relativeError(onForward.theta(l), explicit.theta(l))).as("Theta_%d", l)
                    .isLessThan(ORACLE_TOLERANCE);
        }
        assertThat(relativeError(onForward.train(), explicit.train())).isLessThan(ORACLE_TOLERANCE);
        Gradients after = network.gradients(params, forward, cotangent);
        for (String name : params.names()) {
            assertThat(relativeError(after.get(name), alone.get(name))).as(name).isZero();
        }
    }

    @Test
    void trainingKernelIsMobilityWeightedSumAndMatchesExactGradientKernel() {
        Network network = TestNetworks.fcn(7, 2, 3, Activations.TANH, new StandardRule(StandardRule.Gain.LECUN));
        Params params = network.init(3);
        INDArray x = TestNetworks.sphere(6, 3, 4);
        TangentKernels kernels = EmpiricalKernels.of(network).compute(params, x);

        INDArray expected = kernels.theta(1).mul(3).addi(kernels.theta(2).mul(7)).addi(kernels.theta(3).mul(7));
        assertThat(kernels.mobility(1)).isEqualTo(3, org.assertj.core.api.Assertions.within(1e-12));
        assertThat(relativeError(kernels.train(), expected)).isLessThan(1e-14);
        INDArray exact = ExplicitGradientKernels.of(network).trainingKernel(params, x, null);
        assertThat(relativeError(kernels.train(), exact)).isLessThan(ORACLE_TOLERANCE);
    }

    @Test
    void gramIsThetaTimesWidthOverKappaSquared() {
        // standard/he on relu: kappa = sqrt(2m) 2^{L/2} (docs/theory.md#scaling-rules), so m / kappa^2 = 2^{-(L+1)}
        Network network = TestNetworks.fcn(16, 2, 3, Activations.RELU, new StandardRule(StandardRule.Gain.HE));
        TangentKernels kernels = EmpiricalKernels.of(network).compute(network.init(1), TestNetworks.sphere(4, 3, 1));
        assertThat(kernels.gramScale()).isCloseTo(0.125, org.assertj.core.api.Assertions.within(1e-12));
        assertThat(relativeError(kernels.gram(2), kernels.theta(2).mul(0.125))).isLessThan(1e-15);
    }

    @Test
    void tiledKernelsEqualDirectKernels() {
        Network network = TestNetworks.fcn(TestNetworks.spec(8, 2, 3, Activations.ERF, new NtkRule(), true, true));
        Params params = network.init(9);
        Matrices.perturb(params, 0.2, 1);
        INDArray x1 = TestNetworks.sphere(7, 3, 1);
        INDArray x2 = TestNetworks.sphere(5, 3, 2);
        EmpiricalKernels kernels = EmpiricalKernels.of(network);

        TangentKernels symmetric = kernels.compute(params, x1);
        TangentKernels symmetricTiled = kernels.computeTiled(params, x1, null, 3);
        TangentKernels distinct = kernels.compute(params, x1, x2);
        TangentKernels distinctTiled = kernels.computeTiled(params, x1, x2, 2);
        for (int l = 1; l <= 3; l++) {
            assertThat(relativeError(symmetricTiled.theta(l), symmetric.theta(l))).isLessThan(1e-13);
            assertThat(relativeError(distinctTiled.theta(l), distinct.theta(l))).isLessThan(1e-13);
        }
        assertThat(symmetricTiled.symmetric()).isTrue();
        assertThat(distinctTiled.symmetric()).isFalse();
    }

    @Test
    void refusesRequestBeyondMemoryAndSaysHowToTile() {
        Network network = TestNetworks.fcn(4, 1, 3, Activations.RELU, new NtkRule());
        INDArray x = Nd4j.ones(400_000, 3);
        assertThatThrownBy(() -> EmpiricalKernels.of(network).compute(network.init(1), x))
                .isInstanceOf(FrameworkException.class)
                .satisfies(e -> assertThat(((FrameworkException) e).errorCode()).isEqualTo(ErrorCode.INSUFFICIENT_MEMORY))
                .hasMessageContaining("n1 = 400000 and n2 = 400000 samples")
                .hasMessageContaining("need about 5.82 TiB")
                .hasMessageContaining("is available (JavaCPP limit")
                .hasMessageContaining("output matrices alone need 2.33 TiB: use fewer samples");
    }

    @Test
    void refusalOffersATileThatFitsAndTheTiledRequestIsServed() {
        Network network = TestNetworks.fcn(32, 2, 3, Activations.TANH, new NtkRule());
        Params params = network.init(2);
        INDArray x = TestNetworks.sphere(60, 3, 3);
        EmpiricalKernels kernels = EmpiricalKernels.of(network);
        // outputs 3 * 60 * 60 * 8 = 86 kB; the untiled tapes (60 samples) push the request past 200 kB
        long budget = 200_000;
        assertThat(kernels.requiredBytes(60, 60, true)).isGreaterThan(budget);
        EmpiricalKernels limited = kernels.withBudget(MemoryBudget.of(budget));

        assertThatThrownBy(() -> limited.compute(params, x))
                .isInstanceOf(FrameworkException.class)
                .hasMessageContaining("but only 195 KiB is available (a fixed budget of 195 KiB)")
                .hasMessageMatching("(?s).*batch x1 and x2 into tiles: EmpiricalKernels.computeTiled\\(params, x1, x2, "
                        + "tileSize\\) with tileSize <= \\d+.*");
        String message = catchMessage(() -> limited.compute(params, x));
        int tile = Integer.parseInt(message.replaceAll("(?s).*tileSize <= (\\d+).*", "$1"));
        assertThat(tile).isBetween(1, 59);

        TangentKernels tiled = limited.computeTiled(params, x, null, tile);
        TangentKernels direct = kernels.compute(params, x);
        assertThat(relativeError(tiled.train(), direct.train())).isLessThan(1e-13);
        assertThatThrownBy(() -> limited.computeTiled(params, x, null, tile + 1))
                .hasMessageContaining("in tiles of " + (tile + 1));
    }

    @Test
    void rejectsNonFiniteInputs() {
        Network network = TestNetworks.fcn(4, 1, 3, Activations.RELU, new NtkRule());
        INDArray x = TestNetworks.sphere(3, 3, 1);
        x.putScalar(1, 0, Double.NaN);
        assertThatThrownBy(() -> EmpiricalKernels.of(network).compute(network.init(1), x))
                .isInstanceOf(FrameworkException.class)
                .hasMessage("inputs contain NaN or infinite values");
    }

    @Test
    void reportsOverflowingKernels() {
        Network network = TestNetworks.fcn(4, 1, 3, Activations.RELU, new NtkRule());
        Params params = network.init(1);
        params.get("readout-2").muli(1e300);
        assertThatThrownBy(() -> EmpiricalKernels.of(network).compute(params, TestNetworks.sphere(3, 3, 1)))
                .isInstanceOf(FrameworkException.class)
                .hasMessageStartingWith("Theta_1 contains NaN or infinite values");
    }

    @Test
    void fallsBackToExplicitGradientsForLayersWithoutContraction() {
        NetworkSpec spec = TestNetworks.spec(5, 1, 3, Activations.TANH, new NtkRule(), true, true);
        Layer body = Serial.of(
                new WithoutContraction(new Dense(TrainableLayer.of(spec, "dense", 1, Shape.of(5, 3), 3, 0, 5, 1))),
                new ActivationLayer(Activations.TANH),
                new Dense(TrainableLayer.of(spec, "readout", 2, Shape.of(1, 5), 5, 1, 1, 0)));
        Network network = new Network(spec, body, KernelState::ofInputs);
        Params params = network.init(3);
        Matrices.perturb(params, 0.3, 1);
        INDArray x1 = TestNetworks.sphere(4, 3, 1);
        INDArray x2 = TestNetworks.sphere(3, 3, 2);

        TangentKernels kernels = EmpiricalKernels.of(network).compute(params, x1, x2);
        TangentKernels explicit = ExplicitGradientKernels.of(network).compute(params, x1, x2);
        assertThat(kernels.theta(1).norm2Number().doubleValue()).isPositive();
        for (int l = 1; l <= 2; l++) {
            assertThat(relativeError(kernels.theta(l), explicit.theta(l))).isLessThan(ORACLE_TOLERANCE);
        }
    }

    /** A layer that computes like its delegate but sends no tangent-kernel contraction. */
    private record WithoutContraction(Layer delegate) implements Layer {
        @Override public Shape outputShape(Shape input) { return delegate.outputShape(input); }
        @Override public List<TrainableLayer> trainables() { return delegate.trainables(); }
        @Override public INDArray apply(Params params, INDArray input, Tape tape) {
            return delegate.apply(params, input, tape);
        }
        @Override public INDArray backward(Params params, Tape tape, INDArray cotangent, Gradients into) {
            return delegate.backward(params, tape, cotangent, into);
        }
        @Override public KernelState kernel(KernelState input) { return delegate.kernel(input); }
    }

    private static String catchMessage(Runnable action) {
        try {
            action.run();
        } catch (FrameworkException e) {
            return e.getMessage();
        }
        throw new AssertionError("expected a FrameworkException");
    }
}
