package io.thetalazy.resnet;

import static io.thetalazy.core.error.ErrorCode.SHAPE_MISMATCH;

import io.thetalazy.cnn.CnnArchitecture;
import io.thetalazy.cnn.Convolution;
import io.thetalazy.cnn.Flatten;
import io.thetalazy.cnn.GlobalAveragePooling;
import io.thetalazy.cnn.KernelLayout;
import io.thetalazy.cnn.Padding;
import io.thetalazy.core.error.FrameworkException;
import io.thetalazy.core.kernel.KernelFootprint;
import io.thetalazy.core.kernel.KernelState;
import io.thetalazy.core.layer.ActivationLayer;
import io.thetalazy.core.layer.Dense;
import io.thetalazy.core.layer.Layer;
import io.thetalazy.core.layer.Network;
import io.thetalazy.core.layer.NetworkSpec;
import io.thetalazy.core.layer.Residual;
import io.thetalazy.core.layer.Serial;
import io.thetalazy.core.layer.Shape;
import io.thetalazy.core.layer.TrainableLayer;
import io.thetalazy.core.plugin.Architecture;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Residual network of B blocks and width m (docs/theory.md#residual-networks): a linear embedding, B blocks
 * x -> x + tau (V phi(W x)) ({@link Residual}), and a readout:
 * {@code embedding-1, [dense-2, phi, dense-3], ..., [dense-2B, phi, dense-(2B+1)], readout-(2B+2)} for dense branches
 * on inputs [d]; for conv branches on [C, W] or [C, H, W], the embedding and branch layers are convolutions
 * ({@code conv1d}/{@code conv2d}, same padding, stride 1) and a flatten or global-average readout follows
 * ({@link ResnetOptions}). depth L = 2 B + 1 counts the trainable layers before the readout
 * (docs/formats.md#conventions); the sums are not layers.
 *
 * <p>Gains (docs/theory.md#normalized-view): the embedding's gain sigma_e follows the chain convention (pulled out into
 * kappa for a homogeneous activation without biases, so kappa = kappa_out sigma_e), while every branch layer keeps its
 * gain inside: the skip has gain 1, so only the block's tau sigma_v sigma_w, its {@code BlockInvariant}, is fixed by
 * it.
 */
public final class ResnetArchitecture implements Architecture {
    /** Arrays of a dense state alive at once at a block besides the components: input, branch and output states. */
    private static final int WORKING_ARRAYS = 12;

    @Override
    public String name() {
        return ResnetModule.ID;
    }

    @Override
    public String description() {
        return "residual network: an embedding, (depth - 1) / 2 blocks x + tau branch(x) with dense or conv branches "
                + "of the given width, a scalar readout";
    }

    @Override
    public Set<String> optionNames() {
        return ResnetOptions.NAMES;
    }

    @Override
    public Layer build(NetworkSpec spec) {
        ResnetOptions options = ResnetOptions.from(spec.options(), spec.depth());
        return switch (options.branch()) {
            case DENSE -> dense(spec, options);
            case CONV -> conv(spec, options);
        };
    }

    private static Layer dense(NetworkSpec spec, ResnetOptions options) {
        Shape input = spec.inputShape();
        if (input.rank() != 1) {
            throw new FrameworkException(SHAPE_MISMATCH, ("resnet with dense branches takes feature vectors [d], "
                    + "found input shape %s; set branch: conv for signals and images").formatted(input));
        }
        int d = input.dimension(0);
        int m = spec.width();
        List<Layer> layers = new ArrayList<>();
        layers.add(new Dense(TrainableLayer.of(spec, "embedding", 1, Shape.of(m, d), d, 0, m, 1)));
        for (int b = 1; b <= options.blocks(); b++) {
            Dense w = new Dense(TrainableLayer.of(spec, "dense", 2 * b, Shape.of(m, m), m, 1, m, 1).withGainInside(true));
            Dense v = new Dense(TrainableLayer.of(spec, "dense", 2 * b + 1, Shape.of(m, m), m, 1, m, 1)
                    .withGainInside(true));
            layers.add(new Residual(Serial.of(w, new ActivationLayer(spec.activation()), v), options.tauValue()));
        }
        layers.add(new Dense(TrainableLayer.of(spec, "readout", spec.depth() + 1, Shape.of(1, m), m, 1, 1, 0)));
        return new Serial(layers);
    }

    private static Layer conv(NetworkSpec spec, ResnetOptions options) {
        Shape input = spec.inputShape();
        if (input.rank() != 2 && input.rank() != 3) {
            throw new FrameworkException(SHAPE_MISMATCH, ("resnet with conv branches takes signals [C, W] or images "
                    + "[C, H, W], found input shape %s; set branch: dense for feature vectors").formatted(input));
        }
        int r = input.rank() - 1;
        String kind = r == 1 ? "conv1d" : "conv2d";
        int k = options.kernelSize();
        int q = (int) Math.pow(k, r);
        int m = spec.width();
        int channels = input.dimension(0);
        List<Layer> layers = new ArrayList<>();
        layers.add(convolution(TrainableLayer.of(spec, "embedding", 1, filters(m, channels, k, r), channels * q, 0,
                m * q, 1)));
        for (int b = 1; b <= options.blocks(); b++) {
            Layer w = convolution(TrainableLayer.of(spec, kind, 2 * b, filters(m, m, k, r), m * q, 1, m * q, 1)
                    .withGainInside(true));
            Layer v = convolution(TrainableLayer.of(spec, kind, 2 * b + 1, filters(m, m, k, r), m * q, 1, m * q, 1)
                    .withGainInside(true));
            layers.add(new Residual(Serial.of(w, new ActivationLayer(spec.activation()), v), options.tauValue()));
        }
        int readoutIndex = spec.depth() + 1;
        switch (options.readout()) {
            case FLATTEN -> {
                int positions = Math.toIntExact(input.size() / channels);
                layers.add(new Flatten());
                layers.add(new Dense(TrainableLayer.of(spec, "readout", readoutIndex, Shape.of(1, m * positions),
                        m * positions, 1, 1, 0, positions)));
            }
            case GLOBAL_AVERAGE -> {
                layers.add(new GlobalAveragePooling());
                layers.add(new Dense(TrainableLayer.of(spec, "readout", readoutIndex, Shape.of(1, m), m, 1, 1, 0)));
            }
        }
        return new Serial(layers);
    }

    private static Convolution convolution(TrainableLayer layer) {
        return new Convolution(layer, 1, Padding.SAME);
    }

    /** [C_out, C_in, k] or [C_out, C_in, k, k]. */
    private static Shape filters(int out, int in, int k, int r) {
        int[] shape = new int[r + 2];
        shape[0] = out;
        shape[1] = in;
        for (int d = 0; d < r; d++) {
            shape[2 + d] = k;
        }
        return Shape.of(shape);
    }

    /**
     * A network whose limit starts from Sigma^(0) = x x'^T / d (dense branches) or from cnn's spatial input state in
     * the layout of the readout (conv branches), computed in blocks of input pairs when it does not fit.
     */
    @Override
    public Network network(NetworkSpec spec) {
        ResnetOptions options = ResnetOptions.from(spec.options(), spec.depth());
        Layer body = build(spec);
        return switch (options.branch()) {
            case DENSE -> new Network(spec, body, KernelState::ofInputs, footprint(spec, 1));
            case CONV -> {
                KernelLayout layout = CnnArchitecture.layout(options.readout());
                long positions = spec.inputShape().size() / spec.inputShape().dimension(0);
                CnnArchitecture cnn = new CnnArchitecture();
                yield new Network(spec, body, (x1, x2) -> cnn.inputKernel(x1, x2, layout, spec.depth()),
                        footprint(spec, layout == KernelLayout.FULL ? (double) positions * positions : positions));
            }
        };
    }

    /** The input state of dense branches; use {@link #network} for the conv branches' spatial state. */
    @Override
    public KernelState inputKernel(INDArray x1, INDArray x2) {
        return KernelState.ofInputs(x1, x2);
    }

    /**
     * At a block three states are alive (input, branch, output), each with L + 1 components at most, plus working
     * arrays, every one of {@code entries} doubles per input pair.
     */
    private static KernelFootprint footprint(NetworkSpec spec, double entries) {
        double arrays = 3.0 * (spec.depth() + 2) + WORKING_ARRAYS;
        double heap = spec.activation().dual().hasRows() ? 0 : KernelFootprint.ENTRYWISE_HEAP_ARRAYS * entries * 8;
        return new KernelFootprint(arrays * entries * Double.BYTES, 4 * entries * Double.BYTES, heap,
                "raise the memory limits (-Xmx, -Dorg.bytedeco.javacpp.maxphysicalbytes; bin/thetalazy reads "
                        + "THETALAZY_JAVA_OPTS)");
    }
}
