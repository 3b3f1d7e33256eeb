package io.thetalazy.core.layer;

import static java.util.Objects.requireNonNull;

import io.thetalazy.core.error.ErrorCode;
import io.thetalazy.core.error.FrameworkException;
import io.thetalazy.core.init.Initializer;
import io.thetalazy.core.param.LayerScaling;
import io.thetalazy.core.param.LayerSlot;
import io.thetalazy.core.param.Scaled;
import java.util.Optional;

/**
 * A trainable layer's description: its index l and name {@code <kind>-<l>} (docs/formats.md#conventions), weight shape,
 * fan-in, the scaling its rule set, the optional bias scaling, the output multiplier (1/alpha on the readout, 1
 * elsewhere) and the weight's initializer law.
 *
 * @param kind the layer kind, the first part of its name ({@code dense}, {@code conv}, ...)
 * @param slot what the rule saw: index, depth, width, fan-in and fan-out
 * @param weightShape the weight's shape: [out, in] dense, [C_out, C_in, k, ...] convolutional
 * @param weight the weight's scaling
 * @param bias the bias's scaling, when the layer has one
 * @param outputMultiplier 1/alpha on the readout, 1 elsewhere
 * @param initializer the unit-variance law of the weight
 * @param gainInside whether this layer's gain sigma_l stays inside the normalized network (its kernel rule applies
 *     sigma_l^2) or is pulled out into kappa (docs/theory.md#normalized-view). A property of each layer, not of the
 *     network: in a residual network the embedding's gain is pulled out while each block's branch gains stay inside
 *     as the block's invariant. The readout's gain is kappa_out and never inside.
 */
public record TrainableLayer(String kind, LayerSlot slot, Shape weightShape, LayerScaling weight,
        Optional<LayerScaling> bias, Scaled outputMultiplier, Initializer initializer, boolean gainInside) {
    /** Checks that every component is set. */
    public TrainableLayer {
        requireNonNull(kind, "kind is null");
        requireNonNull(slot, "slot is null");
        requireNonNull(weightShape, "weightShape is null");
        requireNonNull(weight, "weight is null");
        requireNonNull(bias, "bias is null");
        requireNonNull(outputMultiplier, "outputMultiplier is null");
        requireNonNull(initializer, "initializer is null");
    }

    /**
     * The trainable layer in slot (index, fan-in, fan-out) of a network built from spec: the spec's rule sets the
     * scalings, biases are added to hidden layers when the spec asks for them, the readout gets the output multiplier;
     * the gain is inside when {@link NetworkSpec#gainsInside} says so (the chain's convention; see
     * {@link #withGainInside}).
     */
    public static TrainableLayer of(NetworkSpec spec, String kind, int index, Shape weightShape, int fanIn,
            double fanInPower, int fanOut, double fanOutPower) {
        return of(spec, kind, index, weightShape, fanIn, fanInPower, fanOut, fanOutPower, 1);
    }

    /**
     * {@link #of(NetworkSpec, String, int, Shape, int, double, int, double)} for a layer whose inputs span {@code
     * positions} positions of each unit ({@link LayerSlot#positions}: a readout on flattened feature maps).
     */
    public static TrainableLayer of(NetworkSpec spec, String kind, int index, Shape weightShape, int fanIn,
            double fanInPower, int fanOut, double fanOutPower, int positions) {
        long perOutput = weightShape.size() / weightShape.dimension(0);
        if (perOutput != fanIn) {
            // a wrong fan-in silently scales the layer wrongly under every rule: the weight's shape decides it
            throw new FrameworkException(ErrorCode.SHAPE_MISMATCH, ("%s-%d declares fan-in %d, but its weight %s has %d"
                    + " entries per output unit").formatted(kind, index, fanIn, weightShape, perOutput));
        }
        LayerSlot slot = new LayerSlot(index, spec.depth(), spec.width(), (int) spec.inputShape().size(), fanIn,
                fanInPower, fanOut, fanOutPower, positions);
        boolean readout = slot.isReadout();
        Optional<LayerScaling> bias = spec.bias() && !readout ? Optional.of(spec.rule().bias(slot)) : Optional.empty();
        Scaled output = readout ? spec.rule().outputMultiplier(slot) : Scaled.ONE;
        return new TrainableLayer(kind, slot, weightShape, spec.rule().weight(slot), bias, output, spec.initializer(),
                spec.gainsInside());
    }

    /**
     * {@link #of(NetworkSpec, String, int, Shape, int, double, int, double)} with the fan-in read from the weight: its
     * entries per output unit ([out, in] for a dense layer, [C_out, C_in, k, ...] for a convolution).
     */
    public static TrainableLayer of(NetworkSpec spec, String kind, int index, Shape weightShape, double fanInPower,
            int fanOut, double fanOutPower) {
        int fanIn = Math.toIntExact(weightShape.size() / weightShape.dimension(0));
        return of(spec, kind, index, weightShape, fanIn, fanInPower, fanOut, fanOutPower);
    }

    /** The same layer with its gain kept inside (true) or pulled out into kappa (false). */
    public TrainableLayer withGainInside(boolean inside) {
        return new TrainableLayer(kind, slot, weightShape, weight, bias, outputMultiplier, initializer, inside);
    }

    /** l, 1..L+1. */
    public int index() {
        return slot.index();
    }

    /** The weight's parameter name {@code <kind>-<l>} (docs/formats.md#conventions). */
    public String name() {
        return kind + "-" + slot.index();
    }

    /** The bias's parameter name {@code <kind>-<l>-bias}. */
    public String biasName() {
        return name() + "-bias";
    }

    /** Whether this is the readout, l = L+1. */
    public boolean isReadout() {
        return slot.isReadout();
    }

    /** The multiplier the forward pass applies to W x: s_l, times 1/alpha on the readout. */
    public double effectiveForward() {
        return weight.forward().value() * outputMultiplier.value();
    }

    /** The gain sigma_l = s_l beta_l sqrt(n_{l-1}) of a hidden layer (docs/theory.md#normalized-view). */
    public Scaled gain() {
        return weight.forward().times(weight.initStd()).times(slot.fanInScaled().sqrt());
    }

    /**
     * The variance gain a hidden layer's kernel rule applies: sigma_l^2 with its gain inside, else 1
     * (docs/theory.md#normalized-view).
     */
    public double kernelGain() {
        return gainInside ? Math.pow(gain().value(), 2) : 1;
    }

    /** (s^b_l beta^b_l)^2, the bias's share of the covariance C^(l); 0 without a bias (docs/theory.md#biases). */
    public double biasVariance() {
        return bias.map(b -> Math.pow(b.forward().value() * b.initStd().value(), 2)).orElse(0.0);
    }

    /** (s^b_l nu_l)^2, the bias's share of K^[l]; 0 without a bias (docs/theory.md#biases). */
    public double biasComponent() {
        return bias.isPresent() ? Math.pow(bias.get().forward().value() * biasNormalizer(), 2) : 0;
    }

    /**
     * The bias normalizer nu_l: its init std, or 1 when zero-initialized (docs/theory.md#biases); Theta_l is taken with
     * respect to b / nu_l.
     */
    public double biasNormalizer() {
        double std = bias.orElseThrow().initStd().value();
        return std > 0 ? std : 1;
    }
}
