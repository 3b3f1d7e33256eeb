package io.thetalazy.fcn;

import static org.assertj.core.api.Assertions.assertThat;

import io.thetalazy.core.layer.Activations;
import io.thetalazy.core.layer.Network;
import io.thetalazy.core.layer.Params;
import io.thetalazy.core.param.NtkRule;
import io.thetalazy.core.train.MetricsRow;
import io.thetalazy.core.train.StepSize;
import io.thetalazy.core.train.Trainer;
import io.thetalazy.core.train.TrainingConfig;
import io.thetalazy.core.train.TrainingListener;
import io.thetalazy.core.train.TrainingResult;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Training in float32 (params cast from the float64 initialization) follows the float64 reference. */
final class Float32TrainingTest {
    @Test
    void float32LossCurveFollowsFloat64() {
        Network network = Fixtures.network(Fixtures.spec(256, 2, 2, Activations.TANH, new NtkRule()));
        INDArray[] data = Fixtures.lxmzData();
        Params reference = network.init(5);
        Params single = reference.castTo(DataType.FLOAT);
        assertThat(single.get("dense-1").dataType()).isEqualTo(DataType.FLOAT);

        List<Double> lossesDouble = new ArrayList<>();
        List<Double> lossesFloat = new ArrayList<>();
        Trainer trainer = new Trainer(TrainingConfig.defaults().withMaxSteps(200).withLossTolerance(0).withRecordEvery(1));
        TrainingResult doubleResult = trainer.train(network, reference, data[0], data[1], StepSize.fixed(0.5),
                recorder(lossesDouble));
        TrainingResult floatResult = trainer.train(network, single, data[0], data[1], StepSize.fixed(0.5),
                recorder(lossesFloat));

        assertThat(single.get("dense-1").dataType()).as("trained in place, in float32").isEqualTo(DataType.FLOAT);
        assertThat(lossesFloat).hasSameSizeAs(lossesDouble);
        assertThat(lossesDouble.get(lossesDouble.size() - 1)).as("the problem is learned").isLessThan(
                lossesDouble.get(0) / 10);
        double worst = 0;
        for (int k = 0; k < lossesDouble.size(); k++) {
            worst = Math.max(worst, Math.abs(lossesFloat.get(k) - lossesDouble.get(k)) / lossesDouble.get(k));
        }
        assertThat(worst).as("max_k |R32 - R64| / R64").isLessThan(1e-4);
        assertThat(floatResult.finalRd()).isCloseTo(doubleResult.finalRd(), org.assertj.core.api.Assertions.within(
                1e-4 * doubleResult.finalRd()));
    }

    private static TrainingListener recorder(List<Double> losses) {
        return new TrainingListener() {
            @Override
            public void onRecord(MetricsRow row) {
                losses.add(row.loss());
            }
        };
    }
}
