package io.thetalazy.kernels.empirical;

import io.thetalazy.core.layer.Network;
import io.thetalazy.core.param.Parametrization;
import io.thetalazy.core.param.Scaled;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The empirical per-layer tangent kernels of a network at some parameters, between input sets x1 [n1, ...] and x2
 * [n2, ...] (DESIGN 1.3): Theta_l(x, x') = &lt;df(x)/dZhat^[l], df(x')/dZhat^[l]&gt; in normalized units (derivatives with
 * respect to W^[l] / beta_l and b^[l] / nu_l, both antisymmetric copies summed), with what is needed to normalize them:
 * G^[l] = (m / kappa^2) Theta_l and Theta_train = sum_l mu_l Theta_l.
 *
 * <p>Theta_train is the training kernel of GD (de/dt = -(eta/n) Theta_train e) exactly when every bias has the mobility
 * of its layer's weight (always without biases); otherwise {@link ExplicitGradientKernels#trainingKernel} gives the
 * exact one. Immutable by convention: the arrays are not to be modified.
 *
 * @param layers Theta_1 .. Theta_{L+1}, each [n1, n2]
 * @param mobilities mu_1 .. mu_{L+1} = eta_l / beta_l^2
 * @param kappa the output scale kappa of the normalized view (DESIGN 1.2)
 * @param width m
 * @param symmetric whether x2 is x1 (the kernels are then symmetric positive semidefinite)
 */
public record TangentKernels(List<INDArray> layers, List<Double> mobilities, double kappa, int width,
        boolean symmetric) {
    public TangentKernels {
        layers = List.copyOf(layers);
        mobilities = List.copyOf(mobilities);
        if (layers.isEmpty()) {
            throw new IllegalArgumentException("layers is empty");
        }
        if (mobilities.size() != layers.size()) {
            throw new IllegalArgumentException("need one mobility per layer: %d layers, %d mobilities"
                    .formatted(layers.size(), mobilities.size()));
        }
        long[] shape = layers.get(0).shape();
        for (INDArray layer : layers) {
            if (layer.rank() != 2 || !Arrays.equals(layer.shape(), shape)) {
                throw new IllegalArgumentException("every Theta_l must be [n1, n2] of one shape, found "
                        + layers.stream().map(a -> Arrays.toString(a.shape())).toList());
            }
        }
        if (!(kappa > 0) || !Double.isFinite(kappa)) {
            throw new IllegalArgumentException("kappa must be positive and finite, found " + kappa);
        }
        if (width <= 0) {
            throw new IllegalArgumentException("width must be positive, found " + width);
        }
    }

    /** Kernels of a network, with kappa and the mobilities of its normalized view (Parametrization). */
    public static TangentKernels of(Network network, List<INDArray> layers, boolean symmetric) {
        Parametrization parametrization = Parametrization.of(network);
        List<Double> mobilities = parametrization.mobilities().stream().map(Scaled::value).toList();
        return new TangentKernels(layers, mobilities, parametrization.kappa().value(), network.width(), symmetric);
    }

    /** L + 1, the number of trainable layers. */
    public int layerCount() {
        return layers.size();
    }

    public long rows() {
        return layers.get(0).size(0);
    }

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
     * The training kernel Theta_train = sum_l mu_l Theta_l [n1, n2]: fresh. Exact for bias-free networks (DESIGN 1.3);
     * with biases whose mobility eta^b_l / nu_l^2 differs from the weight's, Theta_l holds both and this weights the
     * bias part by mu_l: use {@link ExplicitGradientKernels#trainingKernel} for the exact gradient-descent kernel.
     */
    public INDArray train() {
        INDArray sum = layers.get(0).mul(mobilities.get(0));
        for (int l = 1; l < layers.size(); l++) {
            sum.addi(layers.get(l).mul(mobilities.get(l)));
        }
        return sum;
    }

    private void checkIndex(int index) {
        if (index < 1 || index > layers.size()) {
            throw new IndexOutOfBoundsException("layer index must be in 1..%d, found %d".formatted(layers.size(), index));
        }
    }

    @Override
    public String toString() {
        return "TangentKernels[%d layers of [%d, %d], kappa=%s, width=%d, symmetric=%s]"
                .formatted(layers.size(), rows(), columns(), kappa, width, symmetric);
    }
}
