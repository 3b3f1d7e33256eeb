package io.thetalazy.kernels.limit;

import static java.util.Objects.requireNonNull;

import io.thetalazy.core.param.Parametrization;
import io.thetalazy.core.param.Scaled;
import java.util.List;
import java.util.OptionalDouble;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The infinite-width kernels of a network at initialization between x1 [n1, ...] and x2 [n2, ...]
 * (docs/theory.md#kernel-recursions): the NNGP Sigma^(L) of the last hidden features and the per-layer components
 * K^[1..L+1], the limits of G^[l] = (m / kappa^2) Theta_l. Immutable by convention.
 *
 * @param nngp Sigma^(L) [n1, n2]
 * @param layers K^[1] .. K^[L+1], each [n1, n2]
 * @param symmetric whether x2 is x1 (then every matrix was checked symmetric positive semidefinite)
 * @param lambdaS lambda_S = min_l lambda_min(K^[l]) when symmetric and positive; empty when there is no rate
 *     prediction (the notes say why)
 * @param notes caveats: the Gaussian-first-layer approximation, "lambda_S = 0: no rate prediction", ...
 */
public record KernelLimit(INDArray nngp, List<INDArray> layers, boolean symmetric, OptionalDouble lambdaS,
        List<String> notes) {
    /** Checks that nngp and lambdaS are set and copies the lists. */
    public KernelLimit {
        requireNonNull(nngp, "nngp is null");
        requireNonNull(lambdaS, "lambdaS is null");
        layers = List.copyOf(layers);
        notes = List.copyOf(notes);
    }

    /** L + 1, the number of components K^[l]. */
    public int layerCount() {
        return layers.size();
    }

    /** K^[l] [n1, n2], l = 1..L+1 (read-only). */
    public INDArray layer(int index) {
        if (index < 1 || index > layers.size()) {
            throw new IndexOutOfBoundsException("layer index must be in 1..%d, found %d".formatted(layers.size(), index));
        }
        return layers.get(index - 1);
    }

    /** sum_l K^[l]: the NTK of the NTK parametrization (kappa^2/m = 1, mu_l = 1); fresh. */
    public INDArray ntk() {
        INDArray sum = layers.get(0).dup();
        for (int l = 1; l < layers.size(); l++) {
            sum.addi(layers.get(l));
        }
        return sum;
    }

    /** sum_l mu_l K^[l]: fresh. */
    public INDArray weightedSum(List<Double> mobilities) {
        if (mobilities.size() != layers.size()) {
            throw new IllegalArgumentException("need one mobility per layer: %d layers, %d mobilities"
                    .formatted(layers.size(), mobilities.size()));
        }
        INDArray sum = layers.get(0).mul(mobilities.get(0));
        for (int l = 1; l < layers.size(); l++) {
            sum.addi(layers.get(l).mul(mobilities.get(l)));
        }
        return sum;
    }

    /**
     * The limiting training kernel (kappa^2 / n) sum_l mu_l K^[l] of a network with this parametrization, n its
     * readout's units ({@link Parametrization#kernelWidth}, m for most networks):
     * the m -> infinity counterpart of Theta_train(0) (assembled from the card, never stored;
     * docs/theory.md#training-kernel). The limit keeps no separate bias part, so a bias whose mobility eta^b_l / nu_l^2
     * differs from its weight's is weighted by mu_l here; the empirical {@code TangentKernels#train} weights it
     * exactly.
     */
    public INDArray trainingKernel(Parametrization parametrization) {
        double kappa = parametrization.kappa().value();
        List<Double> mobilities = parametrization.mobilities().stream().map(Scaled::value).toList();
        return weightedSum(mobilities).muli(kappa * kappa / parametrization.kernelWidth());
    }

    @Override
    public String toString() {
        return "KernelLimit[%d layers of %s, symmetric=%s, lambdaS=%s, notes=%s]".formatted(layers.size(),
                java.util.Arrays.toString(nngp.shape()), symmetric, lambdaS, notes);
    }
}
