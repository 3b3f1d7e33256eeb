package io.thetalazy.core.param;

/**
 * What a scaling rule may look at to set one trainable layer's numbers: its index l (1..L+1, input side first), the
 * depth L, the width m, the input dimension d, the fan-in n_{l-1} and fan-out n_l with the powers of m they grow with
 * (0 for the input layer's fan-in, 1 for a hidden fan-in; a convolution's fan-in C_in q also has power 1).
 */
public record LayerSlot(int index, int depth, int width, int inputDimension, int fanIn, double fanInPower, int fanOut,
        double fanOutPower) {
    public LayerSlot {
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

    public Scaled fanOutScaled() {
        return new Scaled(fanOut, fanOutPower);
    }
}
