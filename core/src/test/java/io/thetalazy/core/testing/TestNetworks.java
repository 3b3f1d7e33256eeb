package io.thetalazy.core.testing;

import static java.util.Objects.requireNonNull;

import io.thetalazy.core.init.Initializer;
import io.thetalazy.core.init.Initializers;
import io.thetalazy.core.init.Seeds;
import io.thetalazy.core.kernel.KernelState;
import io.thetalazy.core.layer.Activation;
import io.thetalazy.core.layer.ActivationLayer;
import io.thetalazy.core.layer.Dense;
import io.thetalazy.core.layer.Layer;
import io.thetalazy.core.layer.Network;
import io.thetalazy.core.layer.NetworkSpec;
import io.thetalazy.core.layer.Serial;
import io.thetalazy.core.layer.Shape;
import io.thetalazy.core.layer.TrainableLayer;
import io.thetalazy.core.param.ScalingRule;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Small fully connected networks and inputs for the tests of every module, assembled from core layers exactly as the
 * {@code fcn} plugin does ({@code dense-1, phi, ..., dense-L, phi, readout-(L+1)}), so modules below {@code fcn} (such
 * as {@code kernels}) can test on real networks without depending on a plugin. Loading this class switches ND4J to
 * float64 (docs/numerics.md#fresh-memory); call {@link #useDoublePrecision()} before creating arrays in a test that
 * uses nothing else here.
 */
public final class TestNetworks {
    static {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    private TestNetworks() {}

    /** Makes ND4J's default data type float64 (idempotent). */
    public static void useDoublePrecision() {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    /** A spec for an FCN on inputs [d], Gaussian weights, with the given options. */
    public static NetworkSpec spec(int width, int depth, int inputDimension, Activation activation, ScalingRule rule,
            boolean bias, boolean antisymmetric) {
        return spec(width, depth, inputDimension, activation, rule, bias, antisymmetric, Initializers.GAUSSIAN);
    }

    public static NetworkSpec spec(int width, int depth, int inputDimension, Activation activation, ScalingRule rule,
            boolean bias, boolean antisymmetric, Initializer initializer) {
        return new NetworkSpec("fcn", width, depth, Shape.of(inputDimension), activation, bias, initializer,
                antisymmetric, rule, Map.of());
    }

    /** A bias-free, non-antisymmetric FCN with Gaussian weights. */
    public static Network fcn(int width, int depth, int inputDimension, Activation activation, ScalingRule rule) {
        return fcn(spec(width, depth, inputDimension, activation, rule, false, false));
    }

    /** The FCN of a spec (the fcn plugin's layer tree), with the dense input kernel Sigma^(0) = x x'^T / d. */
    public static Network fcn(NetworkSpec spec) {
        requireNonNull(spec, "spec is null");
        int d = spec.inputShape().dimension(0);
        int m = spec.width();
        List<Layer> layers = new ArrayList<>();
        for (int l = 1; l <= spec.depth(); l++) {
            int fanIn = l == 1 ? d : m;
            double fanInPower = l == 1 ? 0 : 1;
            layers.add(new Dense(TrainableLayer.of(spec, "dense", l, Shape.of(m, fanIn), fanIn, fanInPower, m, 1)));
            layers.add(new ActivationLayer(spec.activation()));
        }
        layers.add(new Dense(TrainableLayer.of(spec, "readout", spec.depth() + 1, Shape.of(1, m), m, 1, 1, 0)));
        return new Network(spec, new Serial(layers), KernelState::ofInputs);
    }

    /**
     * n inputs [n, d] whose last coordinate is the bias coordinate 1 and whose rows have |x|^2 = d
     * (docs/theory.md#inputs: Sigma^(0)(x, x) = 1): Gaussian directions in the first d - 1 coordinates, rescaled;
     * pairwise non-parallel.
     */
    public static INDArray sphere(int n, int d, long seed) {
        if (d < 2) {
            throw new IllegalArgumentException("d counts the bias coordinate and must be at least 2, found " + d);
        }
        RandomGenerator rng = Seeds.generator(seed, "test-inputs");
        double[] values = new double[n * d];
        for (int i = 0; i < n; i++) {
            double norm = 0;
            for (int j = 0; j < d - 1; j++) {
                double z = rng.nextGaussian();
                values[i * d + j] = z;
                norm += z * z;
            }
            double scale = Math.sqrt((d - 1) / norm);
            for (int j = 0; j < d - 1; j++) {
                values[i * d + j] *= scale;
            }
            values[i * d + d - 1] = 1;
        }
        return Nd4j.create(values, new long[] {n, d}, DataType.DOUBLE);
    }
}
