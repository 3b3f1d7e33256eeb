package io.thetalazy.kernels.empirical;

import static io.thetalazy.core.error.ErrorCode.INVALID_ARGUMENT;
import static io.thetalazy.core.error.ErrorCode.SHAPE_MISMATCH;

import io.thetalazy.core.error.FrameworkException;
import io.thetalazy.core.layer.Network;
import io.thetalazy.core.layer.SmallArrays;
import io.thetalazy.core.layer.TrainableLayer;
import io.thetalazy.core.param.Parametrization;
import io.thetalazy.core.param.Scaled;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The empirical per-layer tangent kernels of a network at some parameters, between input sets x1 [n1, ...] and x2
 * [n2, ...] (docs/theory.md#tangent-kernels): Theta_l(x, x') = &lt;df(x)/dZhat^[l], df(x')/dZhat^[l]&gt; in normalized
 * units (derivatives with respect to W^[l] / beta_l and b^[l] / nu_l, both antisymmetric copies summed), with what is
 * needed to normalize them: G^[l] = (m / kappa^2) Theta_l and the training kernel of GD (de/dt = -(eta/n) Theta_train
 * e), Theta_train = sum_l mu_l Theta_l + sum_l (mu^b_l - mu_l) Theta^b_l: a bias moves with its own mobility mu^b_l =
 * eta^b_l / nu_l^2 (docs/theory.md#biases), so its part Theta^b_l of Theta_l is reweighted (the bias correction; none
 * without biases or when every bias has its weight's mobility). Immutable by convention: the arrays are not to be
 * modified.
 *
 * @param layers Theta_1 .. Theta_{L+1}, each [n1, n2]
 * @param mobilities mu_1 .. mu_{L+1} = eta_l / beta_l^2
 * @param kappa the output scale kappa of the normalized view (docs/theory.md#normalized-view)
 * @param width n, the readout's units ({@link Parametrization#kernelWidth}: m unless the last hidden layer is narrower)
 * @param symmetric whether x2 is x1 (the kernels are then symmetric positive semidefinite)
 * @param biasCorrection sum_l (mu^b_l - mu_l) Theta^b_l [n1, n2], or null when there is none
 */
public record TangentKernels(List<INDArray> layers, List<Double> mobilities, double kappa, int width,
        boolean symmetric, INDArray biasCorrection) {
    /** Kernels whose training kernel needs no bias correction. */
    public TangentKernels(List<INDArray> layers, List<Double> mobilities, double kappa, int width, boolean symmetric) {
        this(layers, mobilities, kappa, width, symmetric, null);
    }

    /**
     * Checks that there is one mobility per Theta_l, that every Theta_l and the bias correction are [n1, n2] of one
     * shape, and that kappa and the width are positive; copies the lists.
     */
    public TangentKernels {
        layers = List.copyOf(layers);
        mobilities = List.copyOf(mobilities);
        if (layers.isEmpty()) {
            throw new FrameworkException(INVALID_ARGUMENT, "tangent kernels need at least one component Theta_l, found an empty list");
        }
        if (mobilities.size() != layers.size()) {
            throw new FrameworkException(INVALID_ARGUMENT, "need one mobility per layer: %d layers, %d mobilities"
                    .formatted(layers.size(), mobilities.size()));
        }
        long[] shape = layers.get(0).shape();
        for (INDArray layer : layers) {
            if (layer.rank() != 2 || !Arrays.equals(layer.shape(), shape)) {
                throw new FrameworkException(SHAPE_MISMATCH, "every Theta_l must be [n1, n2] of one shape, found "
                        + layers.stream().map(a -> Arrays.toString(a.shape())).toList());
            }
        }
        if (!(kappa > 0) || !Double.isFinite(kappa)) {
            throw new FrameworkException(INVALID_ARGUMENT, "kappa must be positive and finite, found " + kappa);
        }
        if (width <= 0) {
            throw new FrameworkException(INVALID_ARGUMENT, "width must be positive, found " + width);
        }
        if (biasCorrection != null && !Arrays.equals(biasCorrection.shape(), shape)) {
            throw new FrameworkException(SHAPE_MISMATCH, "the bias correction must be [n1, n2] like Theta_l, found "
                    + Arrays.toString(biasCorrection.shape()));
        }
    }

    /** Kernels of a network, with kappa and the mobilities of its normalized view (Parametrization). */
    public static TangentKernels of(Network network, List<INDArray> layers, boolean symmetric) {
        return of(network, layers, Map.of(), symmetric);
    }

    /**
     * Kernels of a network with the bias parts Theta^b_l of its layers (by index l), from which the bias correction of
     * the training kernel is formed.
     */
    public static TangentKernels of(Network network, List<INDArray> layers, Map<Integer, INDArray> biasParts,
            boolean symmetric) {
        Parametrization parametrization = Parametrization.of(network);
        List<Double> mobilities = parametrization.mobilities().stream().map(Scaled::value).toList();
        INDArray correction = null;
        for (Map.Entry<Integer, INDArray> part : new TreeMap<>(biasParts).entrySet()) {
            int l = part.getKey();
            double excess = biasMobility(network.trainables().get(l - 1)) - mobilities.get(l - 1);
            if (excess != 0) {
                INDArray term = part.getValue().mul(excess);
                correction = correction == null ? term : correction.addi(term);
            }
        }
        return new TangentKernels(layers, mobilities, parametrization.kappa().value(),
                Math.toIntExact(Math.round(parametrization.kernelWidth())), symmetric, correction);
    }

    /** mu^b_l = eta^b_l / nu_l^2, the mobility of layer l's bias (docs/theory.md#biases). */
    static double biasMobility(TrainableLayer layer) {
        double nu = layer.biasNormalizer();
        return layer.bias().orElseThrow().lrMultiplier().value() / (nu * nu);
    }

    /** L + 1, the number of trainable layers. */
    public int layerCount() {
        return layers.size();
    }

    /** n1, the samples of x1. */
    public long rows() {
        return layers.get(0).size(0);
    }

    /** n2, the samples of x2. */
    public long columns() {
        return layers.get(0).size(1);
    }

    /** Theta_l [n1, n2], l = 1..L+1 (read-only). */
    public INDArray theta(int index) {
        checkIndex(index);
        return layers.get(index - 1);
    }

    /** m / kappa^2, the factor from Theta_l to G^[l]. */
    public double gramScale() {
        return width / (kappa * kappa);
    }

    /** The normalized Gram matrix G^[l] = (m / kappa^2) Theta_l [n1, n2], which tends to K^[l] as m grows: fresh. */
    public INDArray gram(int index) {
        return theta(index).mul(gramScale());
    }

    /** G^[1] .. G^[L+1], fresh arrays. */
    public List<INDArray> grams() {
        List<INDArray> grams = new ArrayList<>();
        for (int l = 1; l <= layers.size(); l++) {
            grams.add(gram(l));
        }
        return List.copyOf(grams);
    }

    /** mu_l. */
    public double mobility(int index) {
        checkIndex(index);
        return mobilities.get(index - 1);
    }

    /**
     * The training kernel Theta_train = sum_l mu_l Theta_l + sum_l (mu^b_l - mu_l) Theta^b_l [n1, n2], the kernel of
     * de/dt = -(eta/n) Theta_train e: fresh.
     */
    public INDArray train() {
        if (SmallArrays.small(layers.get(0))) {
            return smallTrain();
        }
        INDArray sum = layers.get(0).mul(mobilities.get(0));
        for (int l = 1; l < layers.size(); l++) {
            sum.addi(layers.get(l).mul(mobilities.get(l)));
        }
        return biasCorrection == null ? sum : sum.addi(biasCorrection);
    }

    /** {@link #train()} of small kernels in Java: the same products and sums in the same order, one array made. */
    private INDArray smallTrain() {
        double[] sum = SmallArrays.values(layers.get(0));
        double mobility = mobilities.get(0);
        for (int i = 0; i < sum.length; i++) {
            sum[i] *= mobility;
        }
        for (int l = 1; l < layers.size(); l++) {
            double[] layer = SmallArrays.values(layers.get(l));
            double mu = mobilities.get(l);
            for (int i = 0; i < sum.length; i++) {
                sum[i] += layer[i] * mu;
            }
        }
        if (biasCorrection != null) {
            double[] correction = SmallArrays.values(biasCorrection);
            for (int i = 0; i < sum.length; i++) {
                sum[i] += correction[i];
            }
        }
        return Nd4j.create(sum, new long[] {rows(), columns()}, 'c');
    }

    private void checkIndex(int index) {
        if (index < 1 || index > layers.size()) {
            throw new FrameworkException(INVALID_ARGUMENT,
                    "layer index must be in 1..%d, found %d".formatted(layers.size(), index));
        }
    }

    @Override
    public String toString() {
        return "TangentKernels[%d layers of [%d, %d], kappa=%s, width=%d, symmetric=%s]"
                .formatted(layers.size(), rows(), columns(), kappa, width, symmetric);
    }
}
