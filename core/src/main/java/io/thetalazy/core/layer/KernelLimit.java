package io.thetalazy.core.layer;

import static io.thetalazy.core.error.ErrorCode.INVALID_ARGUMENT;
import static java.util.Objects.requireNonNull;

import io.thetalazy.core.error.FrameworkException;
import io.thetalazy.core.param.Parametrization;
import io.thetalazy.core.param.Scaled;
import java.util.List;
import java.util.OptionalDouble;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A network's infinite-width kernels at initialization between x1 [n1, ...] and x2 [n2, ...]
 * (docs/theory.md#kernel-recursions), what {@link Network#limit} returns: the NNGP Sigma^(L) of the last hidden
 * features and the per-layer components K^[1..L+1], the limits of G^[l] = (n / kappa^2) Theta_l, together with the
 * network's parametrization, so that its own limiting training kernel is {@link #trainingKernel()}. (The layers pass
 * a {@link io.thetalazy.core.kernel.KernelState} to each other on the way; this is the network's result.) The
 * kernels module's {@code LimitKernels} checks the matrices and adds lambda_S and notes. Immutable by convention.
 *
 * @param nngp Sigma^(L) [n1, n2]
 * @param var1 the variances Sigma^(L)(x, x) of x1 [n1]
 * @param var2 the variances of x2 [n2]
 * @param layers K^[1] .. K^[L+1], each [n1, n2]
 * @param symmetric whether x2 is x1
 * @param parametrization the network's kappa, mobilities and readout units ({@link Parametrization#of})
 * @param lambdaS lambda_S = min_l lambda_min(K^[l]) when checked, symmetric and positive; empty otherwise (the notes
 *     say why)
 * @param notes caveats: the Gaussian-first-layer approximation, "lambda_S = 0: no rate prediction", ...
 */
public record KernelLimit(INDArray nngp, INDArray var1, INDArray var2, List<INDArray> layers, boolean symmetric, Parametrization parametrization,
        OptionalDouble lambdaS, List<String> notes) {
    /** Checks that the arrays, the parametrization and lambdaS are set and copies the lists. */
    public KernelLimit {
        requireNonNull(nngp, "nngp is null");
        requireNonNull(var1, "var1 is null");
        requireNonNull(var2, "var2 is null");
        requireNonNull(parametrization, "parametrization is null");
        requireNonNull(lambdaS, "lambdaS is null");
        layers = List.copyOf(layers);
        notes = List.copyOf(notes);
    }

    /** The same kernels with lambda_S and the notes of a check. */
    public KernelLimit checked(OptionalDouble newLambdaS, List<String> newNotes) {
        return new KernelLimit(nngp, var1, var2, layers, symmetric, parametrization, newLambdaS, newNotes);
    }

    /** L + 1, the number of components K^[l]. */
    public int layerCount() {
        return layers.size();
    }

    /** K^[l] [n1, n2], l = 1..L+1 (read-only). */
    public INDArray layer(int index) {
        if (index < 1 || index > layers.size()) {
            throw new FrameworkException(INVALID_ARGUMENT,
                    "layer index must be in 1..%d, found %d".formatted(layers.size(), index));
        }
        return layers.get(index - 1);
    }

    /**
     * sum_l K^[l] (fresh): the NTK of the NTK parametrization (kappa^2/m = 1, mu_l = 1) only; this network's own
     * training kernel is {@link #trainingKernel()}.
     */
    public INDArray layerSum() {
        INDArray sum = layers.get(0).dup();
        for (int l = 1; l < layers.size(); l++) {
            sum.addi(layers.get(l));
        }
        return sum;
    }

    /** sum_l mu_l K^[l]: fresh. */
    public INDArray weightedSum(List<Double> mobilities) {
        if (mobilities.size() != layers.size()) {
            throw new FrameworkException(INVALID_ARGUMENT, "need one mobility per layer: %d layers, %d mobilities"
                    .formatted(layers.size(), mobilities.size()));
        }
        INDArray sum = layers.get(0).mul(mobilities.get(0));
        for (int l = 1; l < layers.size(); l++) {
            sum.addi(layers.get(l).mul(mobilities.get(l)));
        }
        return sum;
    }

    /**
     * The network's limiting training kernel (kappa^2 / n) sum_l mu_l K^[l], n its readout's units ({@link
     * Parametrization#kernelWidth}, m for most networks): the m -> infinity counterpart of Theta_train(0), fresh
     * (docs/theory.md#training-kernel). The limit keeps no separate bias part, so a bias whose mobility eta^b_l /
     * nu_l^2 differs from its weight's is weighted by mu_l here; the empirical {@code TangentKernels#train} weights it
     * exactly.
     */
    public INDArray trainingKernel() {
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
