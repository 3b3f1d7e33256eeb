package io.thetalazy.core.train;

import io.thetalazy.core.layer.Network;
import io.thetalazy.core.layer.Params;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What step-size policies and observers may read during training: the network, the current and initial parameters
 * (read-only), the training data, the step count and the current residual f - y [n, 1].
 */
public record TrainingState(Network network, Params params, Params initial, INDArray x, INDArray y, long step,
        INDArray residual) {}
