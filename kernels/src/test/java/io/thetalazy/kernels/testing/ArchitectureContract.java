package io.thetalazy.kernels.testing;

import static io.thetalazy.kernels.testing.Matrices.relativeError;
import static org.assertj.core.api.Assertions.assertThat;

import io.thetalazy.core.init.Initializers;
import io.thetalazy.core.kernel.KernelMemory;
import io.thetalazy.core.kernel.KernelState;
import io.thetalazy.core.kernel.KernelTiling;
import io.thetalazy.core.layer.Activations;
import io.thetalazy.core.layer.Gradients;
import io.thetalazy.core.layer.Network;
import io.thetalazy.core.layer.NetworkSpec;
import io.thetalazy.core.layer.Params;
import io.thetalazy.core.layer.Shape;
import io.thetalazy.core.layer.TrainableLayer;
import io.thetalazy.core.param.NtkRule;
import io.thetalazy.core.param.Parametrization;
import io.thetalazy.core.param.StandardRule;
import io.thetalazy.core.param.ThetaLazyRule;
import io.thetalazy.core.plugin.Architecture;
import io.thetalazy.core.testing.FiniteDifferences;
import io.thetalazy.core.testing.LogLogFit;
import io.thetalazy.core.testing.Tolerances;
import io.thetalazy.kernels.empirical.EmpiricalKernels;
import io.thetalazy.kernels.empirical.ExplicitGradientKernels;
import io.thetalazy.kernels.empirical.TangentKernels;
import io.thetalazy.core.layer.KernelLimit;
import io.thetalazy.kernels.limit.LimitKernels;
import io.thetalazy.kernels.montecarlo.MonteCarloKernels;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The conformance suite every architecture plugin implements once (Trino's BaseConnectorTest, DJL's integration
 * suite): shapes, layer numbering and names, determinism, exact gradients, and its kernels
 * (docs/theory.md#what-correct-means): contracted Theta_l against the explicit-gradient oracle, the limit in blocks of
 * input pairs against the whole, a symmetric PSD limit, and the limit against Monte Carlo with the error falling like
 * m^-1/2. It lives in the kernels test-jar because it calls the kernels module; the plugin supplies the input shape,
 * options and depth of its networks.
 */
public interface ArchitectureContract {
    Architecture architecture();

    /** A small per-sample input shape the architecture accepts. */
    Shape tinyInputShape();

    /** Architecture options for the tiny network. */
    default Map<String, Object> tinyOptions() {
        return Map.of();
    }

    /** The depth L of the tiny networks: a depth the architecture accepts (resnet: 2 blocks + 1). */
    default int tinyDepth() {
        return 2;
    }

    default NetworkSpec tinySpec(int depth, boolean bias, boolean antisymmetric) {
        return new NetworkSpec(architecture().name(), 4, depth, tinyInputShape(), Activations.TANH, bias,
                Initializers.GAUSSIAN, antisymmetric, new NtkRule(), tinyOptions());
    }

    /** Widths of the Monte Carlo check: 5 widths spanning 16x (docs/theory.md#what-correct-means). */
    default int[] monteCarloWidths() {
        return new int[] {32, 64, 128, 256, 512};
    }

    /** A network of the tiny shape at a given width for the kernel checks: erf (closed-form dual), He gains inside. */
    default NetworkSpec kernelSpec(int width, boolean bias) {
        return new NetworkSpec(architecture().name(), width, tinyDepth(), tinyInputShape(), Activations.ERF, bias,
                Initializers.GAUSSIAN, false, new StandardRule(StandardRule.Gain.HE), tinyOptions());
    }

    default INDArray tinyInput(int n, long seed) {
        long[] shape = tinyInputShape().batch(n);
        return Initializers.GAUSSIAN.sample(shape, new SplittableRandom(seed));
    }

    @Test
    default void outputIsOneScalarPerSample() {
        Network network = architecture().network(tinySpec(tinyDepth(), false, false));
        INDArray out = network.apply(network.init(1), tinyInput(3, 2));
        assertThat(out.shape()).containsExactly(3, 1);
    }

    @Test
    default void trainableLayersAreNumberedFromTheInputAndNamedByKind() {
        int depth = tinyDepth();
        Network network = architecture().network(tinySpec(depth, false, false));
        List<TrainableLayer> layers = network.trainables();
        assertThat(layers).hasSize(depth + 1);
        for (int l = 1; l <= depth + 1; l++) {
            assertThat(layers.get(l - 1).index()).isEqualTo(l);
            assertThat(layers.get(l - 1).name()).endsWith("-" + l);
        }
        assertThat(layers.get(depth).name()).isEqualTo("readout-" + (depth + 1));
    }

    @Test
    default void sameSeedGivesBitIdenticalOutputs() {
        Network network = architecture().network(tinySpec(tinyDepth(), true, false));
        INDArray x = tinyInput(5, 3);
        INDArray a = network.apply(network.init(7), x);
        INDArray b = network.apply(network.init(7), x);
        INDArray c = network.apply(network.init(8), x);
        assertThat(a.toDoubleVector()).containsExactly(b.toDoubleVector());
        assertThat(a.toDoubleVector()).isNotEqualTo(c.toDoubleVector());
    }

    @Test
    default void antisymmetricInitialOutputIsExactlyZero() {
        Network network = architecture().network(tinySpec(tinyDepth(), false, true));
        INDArray out = network.apply(network.init(5), tinyInput(4, 6));
        assertThat(out.toDoubleVector()).containsOnly(0.0);
    }

    /**
     * The trainer's step (Gradients.descent: weight gradients written into the weights by their GEMMs, the rest by
     * axpy) moves every parameter, both antisymmetric copies, by -eta eta_W dR/dW of the plain gradients.
     */
    @Test
    default void descentMovesEveryParameterByItsGradient() {
        Network network = architecture().network(tinySpec(tinyDepth(), true, true));
        Params params = network.init(13);
        for (String name : params.names()) {
            if (name.endsWith(Network.MIRROR)) {
                params.get(name).muli(0.9);
            }
        }
        INDArray x = tinyInput(3, 14);
        INDArray y = Nd4j.linspace(-1, 1, 3).reshape(3, 1);
        Network.Forward forward = network.forward(params, x);
        INDArray cotangent = forward.output().sub(y);
        Gradients gradients = network.gradients(params, forward, cotangent);
        Map<String, Double> multipliers = new LinkedHashMap<>();
        for (String name : params.names()) {
            multipliers.put(name, 1 + 0.25 * multipliers.size());
        }
        double learningRate = 0.1;
        Params moved = params.copy();
        Gradients descent = Gradients.descent(moved, multipliers);
        network.gradients(moved, network.forward(moved, x), cotangent, descent.step(learningRate));
        descent.applyStored();
        for (String name : params.names()) {
            INDArray expected = params.get(name).sub(gradients.get(name).mul(learningRate * multipliers.get(name)));
            assertThat(relativeError(moved.get(name), expected)).as(name).isLessThan(1e-13);
            assertThat(moved.get(name).equals(params.get(name))).as("%s moved", name).isFalse();
        }
    }

    @Test
    default void gradientsMatchFiniteDifferences() {
        for (boolean bias : new boolean[] {false, true}) {
            Network network = architecture().network(tinySpec(tinyDepth(), bias, bias));
            Params params = network.init(11);
            if (bias) {
                // move the mirror copy away from theta so both copies' gradients are non-trivial
                for (String name : params.names()) {
                    if (name.endsWith(Network.MIRROR)) {
                        params.get(name).muli(0.9);
                    }
                }
            }
            INDArray x = tinyInput(3, 12);
            INDArray y = Nd4j.linspace(-1, 1, 3).reshape(3, 1);
            assertThat(FiniteDifferences.maxRelativeError(network, params, x, y))
                    .as("bias=%s", bias)
                    .isLessThan(Tolerances.GRADIENT_RELATIVE);
        }
    }

    @Test
    default void contractedKernelsEqualTheExplicitGradientOracle() {
        for (boolean bias : new boolean[] {false, true}) {
            Network network = architecture().network(tinySpec(tinyDepth(), bias, bias));
            Params params = network.init(13);
            INDArray x1 = tinyInput(4, 14);
            INDArray x2 = tinyInput(3, 15);
            TangentKernels contracted = EmpiricalKernels.of(network).compute(params, x1, x2);
            TangentKernels explicit = ExplicitGradientKernels.of(network).compute(params, x1, x2);
            assertThat(contracted.layerCount()).isEqualTo(tinyDepth() + 1);
            for (int l = 1; l <= contracted.layerCount(); l++) {
                assertThat(relativeError(contracted.theta(l), explicit.theta(l))).as("bias=%s, Theta_%d", bias, l)
                        .isLessThan(Tolerances.ORACLE_RELATIVE);
            }
        }
    }

    @Test
    default void blocksOfInputPairsGiveTheWholeLimit() {
        for (boolean bias : new boolean[] {false, true}) {
            Network network = architecture().network(kernelSpec(4, bias));
            INDArray x1 = tinyInput(6, 16);
            INDArray x2 = tinyInput(5, 17);
            for (INDArray second : new INDArray[] {x1, x2}) {
                long n2 = second.size(0);
                int results = network.trainables().size() + 1;
                // the results and blocks of two rows: the planner must split
                double bytes = Double.BYTES * ((double) results * 6 * n2 + 6 + n2)
                        + network.footprint().offHeapBytes(2, 2) + network.footprint().pairBytes();
                KernelMemory memory = KernelMemory.of((long) Math.ceil(bytes / KernelTiling.HEADROOM),
                        Long.MAX_VALUE / 2);
                assertThat(KernelTiling.plan(6, n2, second == x1, results, network.footprint(), memory).isWhole())
                        .as("split into blocks").isFalse();
                KernelLimit whole = network.limit(x1, second);
                KernelLimit blocks = network.limit(x1, second, memory);
                assertThat(relativeError(blocks.nngp(), whole.nngp())).isLessThan(1e-13);
                for (int l = 1; l <= whole.layers().size(); l++) {
                    assertThat(relativeError(blocks.layer(l), whole.layer(l))).as("bias=%s, K^[%d]", bias, l)
                            .isLessThan(1e-13);
                }
            }
        }
    }

    /**
     * The ownership model of the kernel states (KernelState's owns / mayOverwrite): rules that overwrite the arrays a
     * state owns give, bit for bit, what they give when they may overwrite nothing, and a state lent to the rules
     * comes back untouched.
     */
    @Test
    default void rulesOverwritingOwnedArraysGiveWhatCopyingRulesGive() {
        for (boolean bias : new boolean[] {false, true}) {
            Network network = architecture().network(kernelSpec(4, bias));
            INDArray x1 = tinyInput(6, 19);
            INDArray x2 = tinyInput(5, 20);
            for (INDArray second : new INDArray[] {x1, x2}) {
                KernelState lent = network.inputState(x1, second);
                List<double[]> before = new ArrayList<>();
                for (INDArray array : held(lent)) {
                    before.add(array.dup().data().asDouble());
                }
                KernelState copying = network.body().kernel(lent);
                List<INDArray> after = held(lent);
                for (int i = 0; i < after.size(); i++) {
                    assertThat(after.get(i).dup().data().asDouble()).as("bias=%s, lent array %d", bias, i)
                            .containsExactly(before.get(i));
                }
                KernelState inPlace = network.body().kernel(network.inputState(x1, second).released());
                assertThat(inPlace.nngp().dup().data().asDouble()).as("bias=%s, nngp", bias)
                        .containsExactly(copying.nngp().dup().data().asDouble());
                assertThat(inPlace.layers()).hasSameSizeAs(copying.layers());
                for (int l = 1; l <= copying.layers().size(); l++) {
                    assertThat(inPlace.layer(l).dup().data().asDouble()).as("bias=%s, K^[%d]", bias, l)
                            .containsExactly(copying.layer(l).dup().data().asDouble());
                }
            }
        }
    }

    private static List<INDArray> held(KernelState state) {
        List<INDArray> all = new ArrayList<>(state.layers());
        all.add(state.nngp());
        all.add(state.var1());
        all.add(state.var2());
        return all;
    }

    @Test
    default void limitIsSymmetricPositiveSemidefinite() {
        Network network = architecture().network(kernelSpec(4, true));
        INDArray x = tinyInput(6, 18);
        // LimitKernels refuses a limit that is not symmetric PSD (INVALID_KERNEL)
        KernelLimit limit = LimitKernels.of(network).compute(x);
        assertThat(limit.layers()).hasSize(tinyDepth() + 1);
        for (INDArray component : limit.layers()) {
            assertThat(relativeError(component.transpose(), component)).isLessThan(1e-14);
            assertThat(component.getDouble(0, 0)).isPositive();
        }
    }

    /**
     * The RMS over 16 seeds of max_l |G^[l] - K^[l]| / |K^[l]| falls like m^-1/2 +- 0.15
     * (docs/theory.md#what-correct-means).
     */
    @Test
    default void limitMatchesMonteCarloWithErrorFallingAsInverseSquareRootOfWidth() {
        int[] widths = monteCarloWidths();
        double[] m = new double[widths.length];
        double[] errors = new double[widths.length];
        INDArray x = tinyInput(6, 19);
        for (int i = 0; i < widths.length; i++) {
            Network network = architecture().network(kernelSpec(widths[i], false));
            KernelLimit limit = LimitKernels.of(network).compute(x);
            m[i] = widths[i];
            errors[i] = MonteCarloKernels.estimate(network, x, null, 16, 2027).rmsRelativeError(limit.layers());
        }
        double slope = LogLogFit.slope(m, errors);
        System.out.printf("%s contract, limit vs Monte Carlo: slope %.3f, errors %s%n", architecture().name(), slope,
                Arrays.toString(errors));
        assertThat(slope).as("slope of log error against log m; errors %s", Arrays.toString(errors))
                .isBetween(-0.5 - Tolerances.MONTE_CARLO_SLOPE, -0.5 + Tolerances.MONTE_CARLO_SLOPE);
    }

    /**
     * The training kernel at initialization against its prediction (kappa^2 / n) sum_l mu_l K^[l] from the card's
     * kappa, mobilities and readout units: the trace ratio tends to 1 as m grows. A kappa or a kernel scale that
     * assumes the readout reads m units where it reads another number is off by their ratio at every width.
     */
    @Test
    default void trainingKernelAtInitializationMatchesItsPrediction() {
        INDArray x = tinyInput(6, 23);
        int width = monteCarloWidths()[monteCarloWidths().length - 1];
        Network network = architecture().network(kernelSpec(width, false));
        INDArray predicted = LimitKernels.of(network).compute(x)
                .trainingKernel();
        double ratio = 0;
        int seeds = 4;
        for (int seed = 0; seed < seeds; seed++) {
            INDArray empirical = EmpiricalKernels.of(network).compute(network.init(seed), x).train();
            ratio += trace(empirical) / trace(predicted) / seeds;
        }
        assertThat(ratio).as("trace of Theta_train(0) over its prediction at m = %d", width)
                .isCloseTo(1.0, org.assertj.core.api.Assertions.within(0.1));
    }

    /**
     * The card's kappa is the scale of the output at initialization: E f(x)^2 = (kappa^2 / n) K^[L+1](x, x) with n
     * the readout's units, so kappa measured as sqrt(n mean f^2 / mean K^[L+1](x, x)) over 64 seeds of a wide network
     * matches the card's (within 15%; a kappa that takes m for the readout's units where they differ is off by
     * sqrt(m / n)). Two rules: He gains inside (erf) and theta-lazy with its width-dependent output scale (relu, gains
     * pulled out).
     */
    @Test
    default void kappaOnTheCardIsTheScaleOfTheInitialOutput() {
        int width = monteCarloWidths()[monteCarloWidths().length - 2];
        NetworkSpec inside = kernelSpec(width, false);
        NetworkSpec thetaLazy = new NetworkSpec(inside.architecture(), width, inside.depth(), inside.inputShape(),
                Activations.RELU, false, Initializers.GAUSSIAN, false, new ThetaLazyRule(0.25), inside.options());
        INDArray x = tinyInput(16, 25);
        for (NetworkSpec spec : List.of(inside, thetaLazy)) {
            Network network = architecture().network(spec);
            Parametrization view = Parametrization.of(network);
            KernelLimit limit = LimitKernels.of(network).compute(x);
            double readoutVariance = trace(limit.layer(limit.layerCount())) / x.size(0);
            int seeds = 64;
            double meanSquare = 0;
            for (int seed = 0; seed < seeds; seed++) {
                INDArray f = network.apply(network.init(1000 + seed), x);
                meanSquare += f.mul(f).meanNumber().doubleValue() / seeds;
            }
            double measured = Math.sqrt(meanSquare * view.kernelWidth() / readoutVariance);
            assertThat(measured / view.kappa().value())
                    .as("kappa from the output scale over the card's (%s, m = %d, card kappa %.4g)",
                            spec.rule().name(), width, view.kappa().value())
                    .isCloseTo(1.0, org.assertj.core.api.Assertions.within(0.15));
        }
    }

    private static double trace(INDArray square) {
        double sum = 0;
        for (int i = 0; i < square.rows(); i++) {
            sum += square.getDouble(i, i);
        }
        return sum;
    }
}
