package io.thetalazy.core.param;

import static io.thetalazy.core.error.ErrorCode.INVALID_ARGUMENT;

import io.thetalazy.core.error.FrameworkException;

/**
 * What a scaling rule may look at to set one trainable layer's numbers: its index l (1..L+1, input side first), the
 * depth L, the width m, the input dimension d, the fan-in n_{l-1} and fan-out n_l with the powers of m they grow with
 * (0 for the input layer's fan-in, 1 for a hidden fan-in; a convolution's fan-in C_in q also has power 1).
 *
 * @param index l, 1..L+1, input side first
 * @param depth L, the number of hidden layers
 * @param width m
 * @param inputDimension d, the number of entries of one input sample
 * @param fanIn n_{l-1}, the inputs of one output unit (a convolution's C_in q)
 * @param fanInPower the power of m the fan-in grows with
 * @param fanOut n_l, the output units (1 for the readout)
 * @param fanOutPower the power of m the fan-out grows with
 * @param positions how many spatial positions each unit's inputs span: 1 for a dense layer; P for a readout on P
 *     flattened positions of each channel, whose normalized view averages over the units and sums over positions
 */
public record LayerSlot(int index, int depth, int width, int inputDimension, int fanIn, double fanInPower, int fanOut,
        double fanOutPower, int positions) {
    /** A slot whose inputs span one position each (every dense layer). */
    public LayerSlot(int index, int depth, int width, int inputDimension, int fanIn, double fanInPower, int fanOut,
            double fanOutPower) {
        this(index, depth, width, inputDimension, fanIn, fanInPower, fanOut, fanOutPower, 1);
    }

    /** Checks that the index is in 1..L+1, the sizes are positive and the positions divide the fan-in. */
    public LayerSlot {
        if (positions < 1 || fanIn % positions != 0) {
            throw new FrameworkException(INVALID_ARGUMENT,
                    "positions must be a positive divisor of the fan-in %d, found %d"
                    .formatted(fanIn, positions));
        }
        if (index < 1 || index > depth + 1) {
            throw new FrameworkException(INVALID_ARGUMENT,
                    "layer index must be in 1..%d, found %d".formatted(depth + 1, index));
        }
        if (width <= 0 || fanIn <= 0 || fanOut <= 0 || inputDimension <= 0) {
            throw new FrameworkException(INVALID_ARGUMENT,
                    "width, fan-in, fan-out and input dimension must be positive");
        }
    }

    /** Whether this is the readout, l = L+1. */
    public boolean isReadout() {
        return index == depth + 1;
    }

    /** Whether this is the input layer, l = 1 (its fan-in is d, not a power of m). */
    public boolean isInputLayer() {
        return index == 1;
    }

    /** The fan-in as a declared power of m. */
    public Scaled fanInScaled() {
        return new Scaled(fanIn, fanInPower);
    }

    /**
     * The units the layer's inputs come from, n_{l-1} / positions with the fan-in's power of m: on the readout, the n
     * that kappa = n s beta / alpha and the training kernel (kappa^2 / n) sum_l mu_l K^[l] use (docs/theory.md#normalized-view).
     * It is m only when the last hidden layer has m units: a bottleneck's readout reads fewer.
     */
    public Scaled units() {
        return new Scaled((double) fanIn / positions, fanInPower);
    }

    /** The fan-out as a declared power of m. */
    public Scaled fanOutScaled() {
        return new Scaled(fanOut, fanOutPower);
    }
}
