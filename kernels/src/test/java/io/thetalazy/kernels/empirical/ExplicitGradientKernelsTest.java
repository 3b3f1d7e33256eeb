package io.thetalazy.kernels.empirical;

import static io.thetalazy.kernels.testing.Matrices.relativeError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thetalazy.core.error.FrameworkException;
import io.thetalazy.core.layer.Activations;
import io.thetalazy.core.layer.Network;
import io.thetalazy.core.layer.Params;
import io.thetalazy.core.layer.TrainableLayer;
import io.thetalazy.core.testing.TestNetworks;
import io.thetalazy.core.train.StepSize;
import io.thetalazy.core.train.Trainer;
import io.thetalazy.core.train.TrainingConfig;
import io.thetalazy.core.train.TrainingListener;
import io.thetalazy.kernels.testing.BiasedRule;
import io.thetalazy.kernels.testing.Matrices;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

final class ExplicitGradientKernelsTest {
    static {
        TestNetworks.useDoublePrecision();
    }

    private static Network biasedAntisymmetric() {
        return TestNetworks.fcn(TestNetworks.spec(3, 2, 3, Activations.TANH, new BiasedRule(), true, true));
    }

    /** Row i of J_l is beta * df(x_i)/dW (weights), nu * df(x_i)/db (biases), then the mirror copy, by differences. */
    @Test
    void jacobianMatchesCentralFiniteDifferences() {
        Network network = biasedAntisymmetric();
        Params params = network.init(4);
        Matrices.perturb(params, 0.3, 2);
        INDArray x = TestNetworks.sphere(3, 3, 1);
        List<INDArray> jacobians = ExplicitGradientKernels.of(network).jacobians(params, x);

        double h = 1e-6;
        double worst = 0;
        for (TrainableLayer layer : network.trainables()) {
            List<String> names = new ArrayList<>(List.of(layer.name()));
            List<Double> normalizers = new ArrayList<>(List.of(layer.weight().initStd().value()));
            if (layer.bias().isPresent()) {
                names.add(layer.biasName());
                normalizers.add(layer.biasNormalizer());
            }
            for (int copy = 0, size = names.size(); copy < size; copy++) {
                names.add(names.get(copy) + Network.MIRROR);
                normalizers.add(normalizers.get(copy));
            }
            INDArray jacobian = jacobians.get(layer.index() - 1);
            long column = 0;
            for (int k = 0; k < names.size(); k++) {
                INDArray flat = params.get(names.get(k)).reshape(-1);
                for (long entry = 0; entry < flat.length(); entry++, column++) {
                    double value = flat.getDouble(entry);
                    flat.putScalar(entry, value + h);
                    INDArray plus = network.apply(params, x);
                    flat.putScalar(entry, value - h);
                    INDArray minus = network.apply(params, x);
                    flat.putScalar(entry, value);
                    INDArray difference = plus.sub(minus).divi(2 * h).muli(normalizers.get(k));
                    INDArray exact = jacobian.getColumn(column).reshape(3, 1);
                    worst = Math.max(worst, exact.distance2(difference) / Math.max(1e-3, exact.norm2Number().doubleValue()));
                }
            }
            assertThat(column).isEqualTo(jacobian.size(1));
        }
        assertThat(worst).isLessThan(1e-7);
    }

    /**
     * With biases whose mobility differs from their weights' (eta^b / nu^2 = 8), one small GD step changes the outputs
     * by -(eta/n) Theta_train e + O(eta^2) with the exact training kernel; the contraction's Theta_train (bias parts
     * reweighted by their own mobility) is that kernel, the plain sum_l mu_l Theta_l is not.
     */
    @Test
    void exactTrainingKernelPredictsOneGradientStep() {
        Network network = biasedAntisymmetric();
        Params params = network.init(6);
        Matrices.perturb(params, 0.3, 3);
        INDArray x = TestNetworks.sphere(4, 3, 2);
        INDArray y = Nd4j.create(new double[] {0.3, -0.2, 0.5, 0.1}, new long[] {4, 1});
        INDArray exact = ExplicitGradientKernels.of(network).trainingKernel(params, x, null);
        TangentKernels contracted = EmpiricalKernels.of(network).compute(params, x);
        TangentKernels explicit = ExplicitGradientKernels.of(network).compute(params, x);
        INDArray weightedOnly = contracted.train().subi(contracted.biasCorrection());
        INDArray before = network.apply(params, x);
        INDArray predicted = exact.mmul(before.sub(y)).muli(-1.0 / 4);

        double eta = 1e-6;
        new Trainer(TrainingConfig.defaults().withMaxSteps(1).withLossTolerance(0))
                .train(network, params, x, y, StepSize.fixed(eta), TrainingListener.NONE);
        INDArray change = network.apply(params, x).sub(before).divi(eta);

        assertThat(relativeError(change, predicted)).isLessThan(1e-4);
        assertThat(relativeError(contracted.train(), exact)).isLessThan(1e-12);
        assertThat(relativeError(explicit.train(), exact)).isLessThan(1e-12);
        assertThat(relativeError(weightedOnly, exact)).as("the mobility-weighted sum alone is not the GD kernel here")
                .isGreaterThan(1e-2);
    }

    /** The bias correction is assembled from tiles like the kernels, for symmetric and cross kernels. */
    @Test
    void tiledTrainingKernelKeepsTheBiasCorrection() {
        Network network = biasedAntisymmetric();
        Params params = network.init(7);
        Matrices.perturb(params, 0.3, 4);
        INDArray x1 = TestNetworks.sphere(7, 3, 5);
        INDArray x2 = TestNetworks.sphere(5, 3, 6);
        EmpiricalKernels kernels = EmpiricalKernels.of(network);
        ExplicitGradientKernels explicit = ExplicitGradientKernels.of(network);
        assertThat(relativeError(kernels.computeTiled(params, x1, null, 3).train(),
                explicit.trainingKernel(params, x1, null))).isLessThan(1e-12);
        assertThat(relativeError(kernels.computeTiled(params, x1, x2, 2).train(),
                explicit.trainingKernel(params, x1, x2))).isLessThan(1e-12);
        assertThat(relativeError(explicit.compute(params, x1, x2).train(), explicit.trainingKernel(params, x1, x2)))
                .isLessThan(1e-12);
    }

    @Test
    void refusesJacobiansBeyondMemory() {
        Network network = biasedAntisymmetric();
        assertThatThrownBy(() -> ExplicitGradientKernels.of(network).withBudget(MemoryBudget.of(1000))
                .jacobians(network.init(1), TestNetworks.sphere(50, 3, 1)))
                .isInstanceOf(FrameworkException.class)
                .hasMessageContaining("The explicit Jacobians of 50 samples need about ")
                .hasMessageEndingWith("use EmpiricalKernels (no Jacobian) or fewer samples");
    }
}
