package io.thetalazy.kernels.montecarlo;

import static io.thetalazy.core.error.ErrorCode.INVALID_ARGUMENT;
import static java.util.Objects.requireNonNull;

import io.thetalazy.core.error.FrameworkException;
import io.thetalazy.core.init.Seeds;
import io.thetalazy.core.layer.Network;
import io.thetalazy.core.layer.NetworkSpec;
import io.thetalazy.core.plugin.Architecture;
import io.thetalazy.kernels.empirical.EmpiricalKernels;
import io.thetalazy.kernels.empirical.TangentKernels;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Monte Carlo estimation of the normalized Gram matrices G^[l] at initialization (docs/theory.md#what-correct-means): S
 * independent initializations of one network, seed s drawn as {@code Seeds.derive(root, "monte-carlo-" + s)}, each
 * giving G_s^[l] = (m / kappa^2) Theta_l by contraction. Works for any architecture (it needs no kernel rule), so it is
 * also how layers are tested against their rules, as in neural-tangents.
 */
public final class MonteCarloKernels {
    private MonteCarloKernels() {}

    /** The seed of sample s under a root seed. */
    public static long seed(long rootSeed, int sample) {
        return Seeds.derive(rootSeed, "monte-carlo-" + sample);
    }

    /**
     * Per-seed and mean G^[l] of a network between x1 and x2.
     *
     * @param x2 the second input set, or null for the symmetric kernels of x1
     * @param seeds S, the number of independent initializations
     */
    public static MonteCarloEstimate estimate(Network network, INDArray x1, INDArray x2, int seeds, long rootSeed) {
        requireNonNull(network, "network is null");
        if (seeds < 1) {
            throw new FrameworkException(INVALID_ARGUMENT, "the number of seeds must be positive, found " + seeds);
        }
        EmpiricalKernels kernels = EmpiricalKernels.of(network);
        List<TangentKernels> samples = new ArrayList<>();
        List<Long> used = new ArrayList<>();
        for (int s = 0; s < seeds; s++) {
            long seed = seed(rootSeed, s);
            samples.add(kernels.compute(network.init(seed), x1, x2));
            used.add(seed);
        }
        return new MonteCarloEstimate(samples, used);
    }

    /** The same for the network an architecture builds from a spec. */
    public static MonteCarloEstimate estimate(Architecture architecture, NetworkSpec spec, INDArray x1, INDArray x2,
            int seeds, long rootSeed) {
        requireNonNull(architecture, "architecture is null");
        return estimate(architecture.network(requireNonNull(spec, "spec is null")), x1, x2, seeds, rootSeed);
    }
}
