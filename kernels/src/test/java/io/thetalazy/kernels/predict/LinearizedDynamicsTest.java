package io.thetalazy.kernels.predict;

import static io.thetalazy.kernels.testing.Matrices.relativeError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thetalazy.core.error.ErrorCode;
import io.thetalazy.core.error.FrameworkException;
import io.thetalazy.core.layer.Activations;
import io.thetalazy.core.layer.Network;
import io.thetalazy.core.layer.Params;
import io.thetalazy.core.param.NtkRule;
import io.thetalazy.core.testing.TestNetworks;
import io.thetalazy.core.train.StepSize;
import io.thetalazy.core.train.Trainer;
import io.thetalazy.core.train.TrainingConfig;
import io.thetalazy.core.train.TrainingListener;
import io.thetalazy.kernels.empirical.EmpiricalKernels;
import io.thetalazy.kernels.empirical.TangentKernels;
import io.thetalazy.kernels.testing.Matrices;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

final class LinearizedDynamicsTest {
    static {
        TestNetworks.useDoublePrecision();
    }

    private static final int N = 6;

    /** Theta = J J^T / P on N train and 3 test points, rank min(N + 3, P). */
    private static INDArray jointKernel(int parameters, long seed) {
        INDArray j = Matrices.gaussian(N + 3, parameters, seed);
        return j.mmul(j.transpose()).divi(parameters);
    }

    private static INDArray train(INDArray joint) {
        return joint.get(NDArrayIndex.interval(0, N), NDArrayIndex.interval(0, N)).dup();
    }

    private static INDArray testTrain(INDArray joint) {
        return joint.get(NDArrayIndex.interval(N, N + 3), NDArrayIndex.interval(0, N)).dup();
    }

    @Test
    void discreteResidualsMatchRepeatedGradientSteps() {
        INDArray theta = train(jointKernel(20, 1));
        double eta = 0.9 * N / Spectra.lambdaMax(theta);
        INDArray e0 = Matrices.gaussian(N, 1, 2);
        LinearizedDynamics dynamics = LinearizedDynamics.of(theta, eta);

        INDArray e = e0.dup();
        INDArray rows = dynamics.residuals(e0, 0, 1, 7, 50);
        long[] checkpoints = {0, 1, 7, 50};
        int next = 0;
        for (long k = 0; k <= 50; k++) {
            if (k == checkpoints[next]) {
                assertThat(relativeError(dynamics.residual(e0, k), e)).as("step %d", k).isLessThan(1e-12);
                assertThat(relativeError(rows.getRow(next).reshape(N, 1), e)).isLessThan(1e-12);
                next++;
            }
            e = e.sub(theta.mmul(e).muli(eta / N));
        }
    }

    @Test
    void flowResidualSolvesTheFlowEquation() {
        INDArray theta = train(jointKernel(20, 3));
        double eta = 0.7;
        INDArray e0 = Matrices.gaussian(N, 1, 4);
        LinearizedDynamics dynamics = LinearizedDynamics.of(theta, eta);
        double t = 3.3;
        double h = 1e-4;
        INDArray derivative = dynamics.flowResidual(e0, t + h).sub(dynamics.flowResidual(e0, t - h)).divi(2 * h);
        INDArray expected = theta.mmul(dynamics.flowResidual(e0, t)).muli(-eta / N);
        assertThat(relativeError(derivative, expected)).isLessThan(1e-7);
        assertThat(relativeError(dynamics.flowResidual(e0, 0), e0)).isLessThan(1e-14);
    }

    @Test
    void testOutputsMatchIteratedLinearModelEvenForSingularKernel() {
        for (int parameters : new int[] {20, 3}) {
            INDArray joint = jointKernel(parameters, 5);
            INDArray theta = train(joint);
            INDArray cross = testTrain(joint);
            double eta = 0.5 * N / Spectra.lambdaMax(theta);
            INDArray e0 = Matrices.gaussian(N, 1, 6);
            INDArray f0 = Matrices.gaussian(3, 1, 7);
            LinearizedDynamics dynamics = LinearizedDynamics.of(theta, eta);

            INDArray e = e0.dup();
            INDArray f = f0.dup();
            for (int k = 0; k < 40; k++) {
                f = f.sub(cross.mmul(e).muli(eta / N));
                e = e.sub(theta.mmul(e).muli(eta / N));
            }
            INDArray predicted = dynamics.testOutputs(f0, cross, e0, 40);
            assertThat(relativeError(predicted.sub(f0), f.sub(f0))).as("P = %d", parameters).isLessThan(1e-12);
        }
    }

    @Test
    void flowTestOutputsAreLimitOfSmallSteps() {
        INDArray joint = jointKernel(3, 8);
        INDArray theta = train(joint);
        INDArray cross = testTrain(joint);
        INDArray e0 = Matrices.gaussian(N, 1, 9);
        INDArray f0 = Matrices.gaussian(3, 1, 10);
        LinearizedDynamics flow = LinearizedDynamics.of(theta, 1);
        LinearizedDynamics fine = LinearizedDynamics.of(theta, 1e-4);
        INDArray continuous = flow.flowTestOutputs(f0, cross, e0, 5);
        INDArray discrete = fine.testOutputs(f0, cross, e0, 50_000);
        assertThat(relativeError(discrete.sub(f0), continuous.sub(f0))).isLessThan(1e-4);
    }

    @Test
    void ridgeCoefficientsSolveRegularizedSystem() {
        INDArray theta = train(jointKernel(3, 11));
        INDArray y = Matrices.gaussian(N, 1, 12);
        INDArray alpha = LinearizedDynamics.ridgeCoefficients(theta, y, 0.1);
        INDArray lhs = theta.mmul(alpha).addi(alpha.mul(0.1));
        assertThat(relativeError(lhs, y)).isLessThan(1e-12);
        assertThat(LinearizedDynamics.ridgePredictions(theta, alpha).shape()).containsExactly(N, 1);
        assertThatThrownBy(() -> LinearizedDynamics.ridgeCoefficients(theta, y, 0))
                .isInstanceOfSatisfying(FrameworkException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_KERNEL))
                .hasMessageStartingWith("Theta + ridge I is not positive definite: lambda_min + ridge = ");
    }

    /**
     * docs/theory.md#what-correct-means: a wide network trained by GD follows the linearized prediction from
     * Theta_train(0), and the mismatch |e_T - e_T^lin| / |e_0| after T steps shrinks as m grows (about m^{-1/2}).
     */
    @Test
    void wideNetworkTrainingMatchesLinearizedPredictionBetterAsWidthGrows() {
        int n = 8;
        long steps = 60;
        INDArray x = TestNetworks.sphere(n, 3, 21);
        INDArray xTest = TestNetworks.sphere(3, 3, 22);
        INDArray y = Nd4j.create(new double[] {0.5, -0.3, 0.8, 0.1, -0.6, 0.4, -0.2, 0.7}, new long[] {n, 1});
        int[] widths = {256, 1024, 4096};
        double[] mismatch = new double[widths.length];
        double[] testMismatch = new double[widths.length];
        for (int i = 0; i < widths.length; i++) {
            Network network = TestNetworks.fcn(widths[i], 1, 3, Activations.ERF, new NtkRule());
            Params params = network.init(31);
            EmpiricalKernels kernels = EmpiricalKernels.of(network);
            INDArray theta = kernels.trainingKernel(params, x);
            TangentKernels cross = kernels.compute(params, xTest, x);
            double eta = 0.5 * StepSizes.bound(theta);
            INDArray e0 = network.apply(params, x).sub(y);
            INDArray fTest0 = network.apply(params, xTest);
            LinearizedDynamics dynamics = LinearizedDynamics.of(theta, eta);

            new Trainer(TrainingConfig.defaults().withMaxSteps(steps).withLossTolerance(0))
                    .train(network, params, x, y, StepSize.fixed(eta), TrainingListener.NONE);
            INDArray trained = network.apply(params, x).sub(y);
            INDArray predicted = dynamics.residual(e0, steps);
            mismatch[i] = trained.distance2(predicted) / e0.norm2Number().doubleValue();
            INDArray testPredicted = dynamics.testOutputs(fTest0, cross.train(), e0, steps);
            INDArray testTrained = network.apply(params, xTest);
            testMismatch[i] = testTrained.distance2(testPredicted) / testTrained.sub(fTest0).norm2Number().doubleValue();
            assertThat(predicted.norm2Number().doubleValue()).as("the run made progress")
                    .isLessThan(0.7 * e0.norm2Number().doubleValue());
        }
        // measured: 2.8e-3, 2.9e-4, 1.1e-4 on the training set; 2.1e-3, 6.2e-4, 1.7e-4 on the test points
        assertThat(mismatch[1]).isLessThan(mismatch[0]);
        assertThat(mismatch[2]).isLessThan(mismatch[1]).isLessThan(mismatch[0] / 4).isLessThan(1e-3);
        assertThat(testMismatch[2]).isLessThan(testMismatch[0] / 4).isLessThan(2e-3);
    }
}
