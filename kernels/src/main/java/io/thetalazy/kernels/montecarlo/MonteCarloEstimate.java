package io.thetalazy.kernels.montecarlo;

import static io.thetalazy.core.error.ErrorCode.INVALID_ARGUMENT;

import io.thetalazy.core.error.FrameworkException;
import io.thetalazy.kernels.empirical.TangentKernels;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The empirical kernels of one network at initialization for S seeds: the per-seed normalized Gram matrices
 * G_s^[l] = (m / kappa^2) Theta_l(theta_s) and their mean. Errors against a limit are measured per seed and then
 * averaged, RMS over seeds of max_l |G_s^[l] - K^[l]|_F / |K^[l]|_F (docs/theory.md#what-correct-means): averaging G
 * first would leave only the O(1/m) bias and bend the log-log slope away from -1/2.
 *
 * @param samples the kernels at each seed's initialization, in seed order
 * @param seeds the initialization seed of each sample
 */
public record MonteCarloEstimate(List<TangentKernels> samples, List<Long> seeds) {
    /** Checks that there is at least one sample and one seed per sample; copies the lists. */
    public MonteCarloEstimate {
        samples = List.copyOf(samples);
        seeds = List.copyOf(seeds);
        if (samples.isEmpty()) {
            throw new FrameworkException(INVALID_ARGUMENT, "a Monte Carlo estimate needs at least one sample");
        }
        if (samples.size() != seeds.size()) {
            throw new FrameworkException(INVALID_ARGUMENT, "need one seed per sample: %d samples, %d seeds"
                    .formatted(samples.size(), seeds.size()));
        }
    }

    /** S. */
    public int seedCount() {
        return samples.size();
    }

    /** L + 1. */
    public int layerCount() {
        return samples.get(0).layerCount();
    }

    /** G_s^[l] of sample s (0-based) and layer l (1-based): fresh. */
    public INDArray gram(int index, int sample) {
        return samples.get(sample).gram(index);
    }

    /** The mean over seeds of G^[l]: fresh. */
    public INDArray gram(int index) {
        INDArray sum = samples.get(0).gram(index);
        for (int s = 1; s < samples.size(); s++) {
            sum.addi(samples.get(s).theta(index).mul(samples.get(s).gramScale()));
        }
        return sum.divi(samples.size());
    }

    /** The means over seeds of G^[1] .. G^[L+1]. */
    public List<INDArray> grams() {
        List<INDArray> means = new ArrayList<>();
        for (int l = 1; l <= layerCount(); l++) {
            means.add(gram(l));
        }
        return List.copyOf(means);
    }

    /** max_l |G_s^[l] - K^[l]|_F / |K^[l]|_F for sample s. */
    public double relativeError(int sample, List<INDArray> limits) {
        if (limits.size() != layerCount()) {
            throw new FrameworkException(INVALID_ARGUMENT, "need one limit per layer: %d layers, %d limits"
                    .formatted(layerCount(), limits.size()));
        }
        double worst = 0;
        for (int l = 1; l <= layerCount(); l++) {
            INDArray limit = limits.get(l - 1);
            double error = gram(l, sample).distance2(limit) / limit.norm2Number().doubleValue();
            worst = Math.max(worst, error);
        }
        return worst;
    }

    /** The per-seed errors {@link #relativeError(int, List)}, in seed order. */
    public double[] relativeErrors(List<INDArray> limits) {
        double[] errors = new double[samples.size()];
        for (int s = 0; s < errors.length; s++) {
            errors[s] = relativeError(s, limits);
        }
        return errors;
    }

    /** sqrt(mean_s relativeError(s)^2): the error docs/theory.md#what-correct-means fits against log m. */
    public double rmsRelativeError(List<INDArray> limits) {
        double sum = 0;
        for (double error : relativeErrors(limits)) {
            sum += error * error;
        }
        return Math.sqrt(sum / samples.size());
    }
}
