package io.thetalazy.core.param;

/**
 * What a scaling rule may look at to set one trainable layer's numbers: its index l (1..L+1, input side first), the
 * depth L, the width m, the input dimension d, the fan-in n_{l-1} and fan-out n_l with the powers of m they grow with
 * (0 for the input layer's fan-in, 1 for a hidden fan-in; a convolution's fan-in C_in q also has power 1).
 *
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

    public LayerSlot {
        if (positions < 1 || fanIn % positions != 0) {
            throw new IllegalArgumentException("positions must be a positive divisor of the fan-in %d, found %d"
                    .formatted(fanIn, positions));
        }
        if (index < 1 || index > depth + 1) {
            throw new IllegalArgumentException("layer index must be in 1..%d, found %d".formatted(depth + 1, index));
        }
        if (width <= 0 || fanIn <= 0 || fanOut <= 0 || inputDimension <= 0) {
            throw new IllegalArgumentException("width, fan-in, fan-out and input dimension must be positive");
        }
    }

    public boolean isReadout() {
        return index == depth + 1;
    }

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

    public Scaled fanOutScaled() {
        return new Scaled(fanOut, fanOutPower);
    }
}
