package io.thetalazy.cnn;

import static io.thetalazy.core.error.ErrorCode.SHAPE_MISMATCH;

import io.thetalazy.core.error.FrameworkException;
import io.thetalazy.core.kernel.KernelFootprint;
import io.thetalazy.core.kernel.KernelState;
import io.thetalazy.core.layer.ActivationLayer;
import io.thetalazy.core.layer.Dense;
import io.thetalazy.core.layer.Layer;
import io.thetalazy.core.layer.Network;
import io.thetalazy.core.layer.NetworkSpec;
import io.thetalazy.core.layer.Serial;
import io.thetalazy.core.layer.Shape;
import io.thetalazy.core.layer.TrainableLayer;
import io.thetalazy.core.plugin.Architecture;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Convolutional network of depth L and width m (channels) on inputs [C, W] (1-d) or [C, H, W] (2-d):
 * {@code conv-1, phi, ..., conv-L, phi}, then {@code flatten, readout-(L+1)} or
 * {@code global average pooling, readout-(L+1)} ({@link CnnOptions}). Layer kinds are {@code conv1d} or
 * {@code conv2d}. Fan-ins: C q for the first convolution (power 0 in m), m q for the others (power 1), m P (flatten)
 * or m (global average) for the readout, so every scaling rule applies unchanged; see the package documentation for
 * kappa and the normalized view.
 */
public final class CnnArchitecture implements Architecture {
    @Override
    public String name() {
        return CnnModule.ID;
    }

    @Override
    public String description() {
        return "convolutional network on [C, W] or [C, H, W] inputs: depth convolutions with width channels, "
                + "a flatten or global-average readout";
    }

    @Override
    public Set<String> optionNames() {
        return CnnOptions.NAMES;
    }

    @Override
    public Layer build(NetworkSpec spec) {
        CnnOptions options = CnnOptions.from(spec.options());
        Shape input = spec.inputShape();
        if (input.rank() != 2 && input.rank() != 3) {
            throw new FrameworkException(SHAPE_MISMATCH, ("cnn takes signals [C, W] or images [C, H, W], found input "
                    + "shape %s; use fcn for feature vectors").formatted(input));
        }
        int r = input.rank() - 1;
        String kind = r == 1 ? "conv1d" : "conv2d";
        int k = options.kernelSize();
        int q = (int) Math.pow(k, r);
        int m = spec.width();
        List<Layer> layers = new ArrayList<>();
        Shape features = input;
        for (int l = 1; l <= spec.depth(); l++) {
            int inChannels = features.dimension(0);
            int[] weight = new int[r + 2];
            weight[0] = m;
            weight[1] = inChannels;
            for (int d = 0; d < r; d++) {
                weight[2 + d] = k;
            }
            TrainableLayer trainable = TrainableLayer.of(spec, kind, l, Shape.of(weight), inChannels * q,
                    l == 1 ? 0 : 1, m * q, 1);
            Convolution convolution = new Convolution(trainable, options.stride(), options.padding());
            features = convolution.outputShape(features);
            layers.add(convolution);
            layers.add(new ActivationLayer(spec.activation()));
        }
        int readoutIndex = spec.depth() + 1;
        switch (options.readout()) {
            case FLATTEN -> {
                int fanIn = Math.toIntExact(features.size());
                layers.add(new Flatten());
                // each of the m channels brings its P positions: the normalized view averages over the m channels
                layers.add(new Dense(TrainableLayer.of(spec, "readout", readoutIndex, Shape.of(1, fanIn), fanIn, 1, 1,
                        0, fanIn / m)));
            }
            case GLOBAL_AVERAGE -> {
                layers.add(new GlobalAveragePooling());
                layers.add(new Dense(TrainableLayer.of(spec, "readout", readoutIndex, Shape.of(1, m), m, 1, 1, 0)));
            }
        }
        return new Serial(layers);
    }

    /**
     * The input state in the {@link KernelLayout#FULL full} layout, which every cnn layer accepts:
     * Sigma^(0)(x, x')_{p, p'} = (1/C) sum_c x_c(p) x'_c(p'). Networks from {@link #network} use the diagonal layout
     * for the flatten readout (P times smaller). Fails with INSUFFICIENT_MEMORY when the limit of one hidden layer
     * would not fit.
     *
     * @param x1 [n1, C, W] or [n1, C, H, W]
     * @param x2 [n2, ...] of the same per-sample shape
     */
    @Override
    public KernelState inputKernel(INDArray x1, INDArray x2) {
        return inputKernel(x1, x2, KernelLayout.FULL, 1);
    }

    /**
     * The input state in a given layout. Fails with INSUFFICIENT_MEMORY when the limit of a network of this depth would
     * not fit, estimated for any activation and convolution ({@link #footprint}); {@link Network#limit} instead
     * computes it in blocks that fit.
     */
    public KernelState inputKernel(INDArray x1, INDArray x2, KernelLayout layout, int depth) {
        KernelFootprint footprint = SpatialKernels.footprint(SpatialKernels.positions(x1), layout, depth, false, false);
        return SpatialKernels.inputState(x1, x2, layout, footprint);
    }

    /** The layout a readout needs: diagonal for flatten, full for global average pooling. */
    public static KernelLayout layout(Readout readout) {
        return switch (readout) {
            case FLATTEN -> KernelLayout.DIAGONAL;
            case GLOBAL_AVERAGE -> KernelLayout.FULL;
        };
    }

    /**
     * The memory the limit of a network needs per input pair: L + 3 arrays of the spatial state (P doubles per pair
     * in the diagonal layout, P^2 in the full one) for activations with a closed form and convolutions that keep the
     * spatial size, more otherwise (see {@code SpatialKernels.footprint}).
     */
    public static KernelFootprint footprint(NetworkSpec spec) {
        CnnOptions options = CnnOptions.from(spec.options());
        long positions = 1;
        for (int d = 1; d < spec.inputShape().rank(); d++) {
            positions *= spec.inputShape().dimension(d);
        }
        boolean inPlace = options.padding() == Padding.SAME && options.stride() == 1;
        return SpatialKernels.footprint(positions, layout(options.readout()), spec.depth(),
                spec.activation().dual().hasRows(), inPlace);
    }

    /** A network whose limit is computed in the layout of its readout, in blocks when it does not fit. */
    @Override
    public Network network(NetworkSpec spec) {
        KernelLayout layout = layout(CnnOptions.from(spec.options()).readout());
        return new Network(spec, build(spec), (x1, x2) -> SpatialKernels.inputState(x1, x2, layout), footprint(spec));
    }
}
