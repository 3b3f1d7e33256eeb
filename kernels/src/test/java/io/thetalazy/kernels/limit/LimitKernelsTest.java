package io.thetalazy.kernels.limit;

import static io.thetalazy.kernels.testing.Matrices.relativeError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.thetalazy.core.error.ErrorCode;
import io.thetalazy.core.error.FrameworkException;
import io.thetalazy.core.init.Initializers;
import io.thetalazy.core.kernel.KernelRule;
import io.thetalazy.core.kernel.KernelState;
import io.thetalazy.core.layer.Activations;
import io.thetalazy.core.layer.Dense;
import io.thetalazy.core.layer.Gradients;
import io.thetalazy.core.layer.KernelLimit;
import io.thetalazy.core.layer.Layer;
import io.thetalazy.core.layer.Network;
import io.thetalazy.core.layer.NetworkSpec;
import io.thetalazy.core.layer.Params;
import io.thetalazy.core.layer.Serial;
import io.thetalazy.core.layer.Shape;
import io.thetalazy.core.layer.Tape;
import io.thetalazy.core.layer.TrainableLayer;
import io.thetalazy.core.param.LxmzRule;
import io.thetalazy.core.param.NtkRule;
import io.thetalazy.core.param.StandardRule;
import io.thetalazy.core.testing.TestNetworks;
import io.thetalazy.kernels.predict.Spectra;
import io.thetalazy.kernels.testing.TestActivations;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

final class LimitKernelsTest {
    static {
        TestNetworks.useDoublePrecision();
    }

    @Test
    void linearLimitIsInputKernelAndHasNoRatePrediction() {
        Network network = TestNetworks.fcn(8, 2, 3, TestActivations.linear(), new NtkRule());
        INDArray x = TestNetworks.sphere(5, 3, 1);
        KernelLimit limit = LimitKernels.of(network).compute(x);

        INDArray inputKernel = x.mmul(x.transpose()).divi(3);
        assertThat(limit.layerCount()).isEqualTo(3);
        assertThat(relativeError(limit.nngp(), inputKernel)).isLessThan(1e-14);
        for (int l = 1; l <= 3; l++) {
            assertThat(relativeError(limit.layer(l), inputKernel)).isLessThan(1e-14);
        }
        assertThat(limit.lambdaS()).isEmpty();
        assertThat(limit.notes()).containsExactly(
                "lambda_S = 0: no rate prediction (linear activation with n = 5 > d = 3)");
    }

    @Test
    void lambdaSIsSmallestEigenvalueOverLayers() {
        Network network = TestNetworks.fcn(8, 2, 3, TestActivations.relu(), new StandardRule(StandardRule.Gain.HE));
        INDArray x = TestNetworks.sphere(6, 3, 2);
        KernelLimit limit = LimitKernels.of(network).compute(x);

        double expected = Math.min(Spectra.lambdaMin(limit.layer(1)),
                Math.min(Spectra.lambdaMin(limit.layer(2)), Spectra.lambdaMin(limit.layer(3))));
        assertThat(limit.symmetric()).isTrue();
        assertThat(limit.lambdaS()).isPresent();
        assertThat(limit.lambdaS().getAsDouble()).isPositive().isCloseTo(expected, within(1e-15));
        assertThat(limit.notes()).isEmpty();
        // Sigma^(0) has unit diagonal and relu halves it: K^[3](x, x) = Sigma^(2)(x, x) = 1/4 (gains pulled out)
        assertThat(limit.layer(3).getDouble(0, 0)).isCloseTo(0.25, within(1e-14));
    }

    @Test
    void limitBetweenTwoSetsIsNotSymmetricAndHasNoLambdaS() {
        Network network = TestNetworks.fcn(8, 1, 3, TestActivations.relu(), new NtkRule());
        KernelLimit limit = LimitKernels.of(network).compute(TestNetworks.sphere(4, 3, 1), TestNetworks.sphere(3, 3, 2));
        assertThat(limit.symmetric()).isFalse();
        assertThat(limit.layer(1).shape()).containsExactly(4, 3);
        assertThat(limit.lambdaS()).isEmpty();
    }

    @Test
    void trainingKernelIsKappaSquaredOverWidthTimesMobilityWeightedSum() {
        Network network = TestNetworks.fcn(16, 1, 3, TestActivations.relu(), new StandardRule(StandardRule.Gain.LECUN));
        KernelLimit limit = LimitKernels.of(network).compute(TestNetworks.sphere(4, 3, 1));
        // lecun: kappa = sqrt(m), mu = (d, m)
        INDArray expected = limit.layer(1).mul(3).addi(limit.layer(2).mul(16));
        assertThat(relativeError(limit.trainingKernel(),
                expected)).isLessThan(1e-14);
    }

    @Test
    void notesGaussianFirstLayerApproximation() {
        NetworkSpec spec = TestNetworks.spec(8, 1, 3, TestActivations.relu(), new NtkRule(), false, false,
                Initializers.RADEMACHER);
        KernelLimit limit = LimitKernels.of(TestNetworks.fcn(spec)).compute(TestNetworks.sphere(4, 3, 1));
        assertThat(limit.notes()).containsExactly("Gaussian-first-layer approximation: the first layer's weights are "
                + "rademacher, so its pre-activations are not Gaussian at fixed d "
                + "(docs/theory.md#non-gaussian-first-layer)");
    }

    @Test
    void rejectsNonFiniteLimit() {
        Network network = TestNetworks.fcn(8, 1, 3, TestActivations.reluWithNanDual(), new NtkRule());
        assertThatThrownBy(() -> LimitKernels.of(network).compute(TestNetworks.sphere(4, 3, 1)))
                .isInstanceOf(FrameworkException.class)
                .satisfies(e -> assertThat(((FrameworkException) e).errorCode()).isEqualTo(ErrorCode.NON_FINITE_VALUE))
                .hasMessage("the NNGP Sigma^(L) of the infinite-width limit contains NaN or infinite values: check the "
                        + "inputs' scale and the activation's dual");
    }

    @Test
    void rejectsIndefiniteLimit() {
        Network network = TestNetworks.fcn(8, 1, 3, TestActivations.reluWithIndefiniteDual(), new NtkRule());
        assertThatThrownBy(() -> LimitKernels.of(network).compute(TestNetworks.sphere(4, 3, 1)))
                .isInstanceOf(FrameworkException.class)
                .satisfies(e -> assertThat(((FrameworkException) e).errorCode()).isEqualTo(ErrorCode.INVALID_KERNEL))
                .hasMessageStartingWith("the NNGP Sigma^(L) of the infinite-width limit is not positive semidefinite: "
                        + "lambda_min = -");
    }

    @Test
    void layerWithoutKernelRuleFails() {
        NetworkSpec spec = TestNetworks.spec(4, 1, 3, Activations.RELU, new NtkRule(), false, false);
        Layer body = Serial.of(
                new Dense(TrainableLayer.of(spec, "dense", 1, Shape.of(4, 3), 3, 0, 4, 1)),
                new NoRule(),
                new Dense(TrainableLayer.of(spec, "readout", 2, Shape.of(1, 4), 4, 1, 1, 0)));
        Network network = new Network(spec, body, KernelState::ofInputs);
        assertThatThrownBy(() -> LimitKernels.of(network).compute(TestNetworks.sphere(4, 3, 1)))
                .isInstanceOf(FrameworkException.class)
                .satisfies(e -> assertThat(((FrameworkException) e).errorCode()).isEqualTo(ErrorCode.NO_KERNEL_RULE))
                .hasMessage("a layer of this fcn network has no infinite-width kernel rule: estimate G^[l] with "
                        + "MonteCarloKernels instead");
    }

    @Test
    void refusesNetworkWithoutNormalizedView() {
        // lxmz with gamma' = 0.5: sigma_1 = sqrt(d) m^{1/2}, kept inside for tanh
        Network network = TestNetworks.fcn(8, 1, 3, Activations.TANH, new LxmzRule(1, 0.5, 0));
        assertThatThrownBy(() -> LimitKernels.of(network).compute(TestNetworks.sphere(4, 3, 1)))
                .isInstanceOf(FrameworkException.class)
                .satisfies(e -> assertThat(((FrameworkException) e).errorCode()).isEqualTo(ErrorCode.INVALID_CONFIG))
                .hasMessageStartingWith("K^[l] is not defined for this network: no normalized view: sigma_1 depends on m");
    }

    @Test
    void coreReluDualAgreesWithArcCosineClosedForm() {
        INDArray x = TestNetworks.sphere(6, 3, 4);
        KernelLimit core = LimitKernels.of(TestNetworks.fcn(8, 3, 3, Activations.RELU, new NtkRule())).compute(x);
        KernelLimit reference = LimitKernels.of(TestNetworks.fcn(8, 3, 3, TestActivations.relu(), new NtkRule()))
                .compute(x);
        // D = (pi - t)/(2 pi) has infinite slope at correlation 1: ulp-level differences in the diagonal correlations
        // (Sigma^(0) from a GEMM, the variances from row sums) move K^[l] below the last layer by about 5e-9
        for (int l = 1; l <= 4; l++) {
            assertThat(relativeError(core.layer(l), reference.layer(l))).as("K^[%d]", l).isLessThan(1e-7);
        }
        assertThat(relativeError(core.layer(4), reference.layer(4))).isLessThan(1e-13);
    }

    /** An identity layer without a kernel rule. */
    private record NoRule() implements Layer {
        @Override public Shape outputShape(Shape input) { return input; }
        @Override public INDArray apply(Params params, INDArray input, Tape tape) { return input.dup(); }
        @Override public INDArray backward(Params params, Tape tape, INDArray cotangent, Gradients into) {
            return cotangent.dup();
        }
        @Override public KernelState kernel(KernelState input) {
            throw new FrameworkException(ErrorCode.NO_KERNEL_RULE, "NoRule has no kernel rule");
        }
        @Override public KernelRule kernelRule() { return KernelRule.NONE; }
    }
}
