package io.thetalazy.cnn;

import io.thetalazy.core.init.Initializers;
import io.thetalazy.core.init.Seeds;
import io.thetalazy.core.kernel.KernelState;
import io.thetalazy.core.layer.Activation;
import io.thetalazy.core.layer.Gradients;
import io.thetalazy.core.layer.KernelLimit;
import io.thetalazy.core.layer.Network;
import io.thetalazy.core.layer.NetworkSpec;
import io.thetalazy.core.layer.Params;
import io.thetalazy.core.layer.Shape;
import io.thetalazy.core.layer.TrainableLayer;
import io.thetalazy.core.param.Parametrization;
import io.thetalazy.core.param.ScalingRule;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** Specs, inputs, an explicit-gradient tangent-kernel oracle and Monte Carlo helpers shared by the cnn tests. */
final class Fixtures {
    private Fixtures() {}

    static final long SEED = 20240611L;

    static void useDoubles() {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    static NetworkSpec spec(Shape input, int width, int depth, Activation activation, ScalingRule rule, boolean bias,
            CnnOptions options) {
        return new NetworkSpec(CnnModule.ID, width, depth, input, activation, bias, Initializers.GAUSSIAN, false, rule,
                options.asMap());
    }

    /** Gaussian inputs [n, shape...]. */
    static INDArray input(long n, Shape shape, String label) {
        long[] dims = shape.batch(n);
        return Initializers.GAUSSIAN.sample(dims, Seeds.generator(SEED, label));
    }

    /** |a - b|_F / |b|_F. */
    static double relativeError(INDArray a, INDArray b) {
        return a.sub(b).norm2Number().doubleValue() / b.norm2Number().doubleValue();
    }

    /** Theta_l(x1, x2) by the network's contraction, by layer index. */
    static Map<Integer, INDArray> contracted(Network network, Params params, INDArray x1, INDArray x2) {
        Map<Integer, INDArray> theta = new TreeMap<>();
        network.tangentKernels(params, x1, x2, (index, c) -> theta.merge(index, c, INDArray::add));
        return theta;
    }

    /**
     * The oracle: per-sample gradients of f with respect to the normalized parameters (W / beta_l, b / nu_l) from one
     * backward pass per sample, Theta_l = J1_l J2_l^T.
     */
    static Map<Integer, INDArray> explicit(Network network, Params params, INDArray x1, INDArray x2) {
        Map<Integer, INDArray> j1 = jacobians(network, params, x1);
        Map<Integer, INDArray> j2 = jacobians(network, params, x2);
        Map<Integer, INDArray> theta = new TreeMap<>();
        j1.forEach((index, j) -> theta.put(index, j.mmul(j2.get(index).transpose())));
        return theta;
    }

    private static Map<Integer, INDArray> jacobians(Network network, Params params, INDArray x) {
        Map<Integer, List<INDArray>> rows = new TreeMap<>();
        for (long a = 0; a < x.size(0); a++) {
            INDArray sample = x.get(NDArrayIndex.interval(a, a + 1)).dup('c');
            Network.Forward forward = network.forward(params, sample);
            Gradients gradients = network.gradients(params, forward, Nd4j.ones(1, 1));
            for (TrainableLayer layer : network.trainables()) {
                List<INDArray> parts = new ArrayList<>();
                parts.add(gradients.get(layer.name()).reshape(1, -1).mul(layer.weight().initStd().value()));
                if (layer.bias().isPresent()) {
                    parts.add(gradients.get(layer.biasName()).reshape(1, -1).mul(layer.biasNormalizer()));
                }
                rows.computeIfAbsent(layer.index(), i -> new ArrayList<>())
                        .add(Nd4j.hstack(parts.toArray(INDArray[]::new)));
            }
        }
        Map<Integer, INDArray> jacobians = new TreeMap<>();
        rows.forEach((index, list) -> jacobians.put(index, Nd4j.vstack(list.toArray(INDArray[]::new))));
        return jacobians;
    }

    /**
     * max_l |G^[l] - K^[l]|_F / |K^[l]|_F at one seed, G^[l] = (m / kappa^2) Theta_l
     * (docs/theory.md#what-correct-means).
     */
    static double monteCarloError(Network network, long seed, INDArray x, KernelLimit limit) {
        Params params = network.init(seed);
        Map<Integer, INDArray> theta = contracted(network, params, x, x);
        double kappa = Parametrization.of(network).kappa().value();
        double scale = network.width() / (kappa * kappa);
        double worst = 0;
        for (int l = 1; l <= network.trainables().size(); l++) {
            worst = Math.max(worst, relativeError(theta.get(l).mul(scale), limit.layer(l)));
        }
        return worst;
    }

    /** RMS over seeds of {@link #monteCarloError}. */
    static double rmsError(Network network, INDArray x, KernelLimit limit, int seeds) {
        double sum = 0;
        for (int s = 0; s < seeds; s++) {
            double e = monteCarloError(network, Seeds.derive(SEED, "mc-" + s), x, limit);
            sum += e * e;
        }
        return Math.sqrt(sum / seeds);
    }
}
