package io.thetalazy.kernels.predict;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.thetalazy.core.layer.Activations;
import io.thetalazy.core.layer.Network;
import io.thetalazy.core.layer.Params;
import io.thetalazy.core.param.NtkRule;
import io.thetalazy.core.testing.TestNetworks;
import io.thetalazy.core.train.MetricsRow;
import io.thetalazy.core.train.Trainer;
import io.thetalazy.core.train.TrainingConfig;
import io.thetalazy.core.train.TrainingListener;
import io.thetalazy.kernels.empirical.EmpiricalKernels;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

final class KernelObserverTest {
    static {
        TestNetworks.useDoublePrecision();
    }

    private static final INDArray X = TestNetworks.sphere(6, 3, 1);
    private static final INDArray Y = Nd4j.create(new double[] {0.5, -0.3, 0.8, 0.1, -0.6, 0.4}, new long[] {6, 1});

    private static List<MetricsRow> train(int width, KernelObserver observer) {
        Network network = TestNetworks.fcn(width, 1, 3, Activations.TANH, new NtkRule());
        List<MetricsRow> rows = new ArrayList<>();
        Trainer trainer = new Trainer(TrainingConfig.defaults().withMaxSteps(60).withRecordEvery(20), List.of(observer));
        assertThat(trainer.extraColumns()).containsExactly("drift", "lambdaMin");
        trainer.train(network, network.init(2), X, Y, StepSizes.auto(0.5), new TrainingListener() {
            @Override
            public void onRecord(MetricsRow row) {
                rows.add(row);
            }
        });
        return rows;
    }

    @Test
    void recordsZeroDriftAndInitialLambdaMinAtStepZero() {
        Network network = TestNetworks.fcn(16, 1, 3, Activations.TANH, new NtkRule());
        Params params = network.init(2);
        List<MetricsRow> rows = train(16, new KernelObserver());
        double lambdaMin = Spectra.lambdaMin(EmpiricalKernels.of(network).trainingKernel(params, X));
        assertThat(rows.get(0).extras()).hasSize(2);
        assertThat(rows.get(0).extras().get(0)).isZero();
        assertThat(rows.get(0).extras().get(1)).isCloseTo(lambdaMin, within(1e-12 * lambdaMin));
    }

    @Test
    void computesOnlyAtRecordedStepsAtLeastEveryApart() {
        List<MetricsRow> rows = train(16, (KernelObserver) KernelObservers.driftAndLambdaMin(40).get(0));
        assertThat(rows).extracting(MetricsRow::step).containsExactly(0L, 20L, 40L, 60L);
        assertThat(rows.get(1).extras()).containsExactly(Double.NaN, Double.NaN);
        assertThat(rows.get(2).extras().get(0)).isPositive();
        assertThat(rows.get(3).extras().get(1)).isNaN();
    }

    @Test
    void driftGrowsDuringTrainingAndIsSmallerForWiderNetworks() {
        List<MetricsRow> narrow = train(16, new KernelObserver());
        List<MetricsRow> wide = train(1024, new KernelObserver());
        double narrowDrift = narrow.get(narrow.size() - 1).extras().get(0);
        double wideDrift = wide.get(wide.size() - 1).extras().get(0);
        assertThat(narrow.get(1).extras().get(0)).isPositive();
        assertThat(wideDrift).isPositive().isLessThan(narrowDrift / 4);
    }
}
