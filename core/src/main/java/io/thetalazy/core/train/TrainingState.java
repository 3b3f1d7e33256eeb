package io.thetalazy.core.train;

import io.thetalazy.core.layer.Network;
import io.thetalazy.core.layer.Params;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What step-size policies and observers may read during training: the network, the current and initial parameters
 * (read-only), the training data, the step count, the current residual f - y [n, 1] and the trainer's forward pass at
 * the current parameters.
 *
 * @param network the network being trained
 * @param params the current parameters (read-only)
 * @param initial the parameters at step 0 (read-only)
 * @param x the training inputs [n, ...]
 * @param y the targets [n, 1]
 * @param step steps taken
 * @param residual f - y [n, 1] at the current parameters
 * @param forward the forward pass on x at {@code params}, or null when the caller has none; valid until the trainer
 *     takes the step (its tape is reused), so a policy may run a backward pass on it (the training kernel) instead of
 *     a forward pass of its own, but may not keep it
 */
public record TrainingState(Network network, Params params, Params initial, INDArray x, INDArray y, long step,
        INDArray residual, Network.Forward forward) {
    /** A state without a forward pass: whoever reads it computes its own. */
    public TrainingState(Network network, Params params, Params initial, INDArray x, INDArray y, long step,
            INDArray residual) {
        this(network, params, initial, x, y, step, residual, null);
    }
}
