package io.thetalazy.kernels.predict;

import static io.thetalazy.core.error.ErrorCode.INVALID_ARGUMENT;
import static java.util.Objects.requireNonNull;

import io.thetalazy.core.error.FrameworkException;
import io.thetalazy.kernels.empirical.TangentKernels;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The three labelled loss-decay rates of docs/theory.md#kernel-recursions, for base step eta and n training samples:
 * <ul>
 *   <li>r_0 = 2 eta lambda_min(Theta_train(0)) / n (empirical, the slowest linearized mode at initialization);</li>
 *   <li>r_inf = 2 eta (kappa^2/m) lambda_min(sum_l mu_l K^[l]) / n (the infinite-width limit);</li>
 *   <li>r_LLZ = 2 eta (kappa^2/m) (sum_l mu_l) lambda_S / n &lt;= r_inf, our reading of [LLZ]'s
 *       "sum_l (kappa^2/alpha_l^2) lambda_S" (their time unit and constant may differ).</li>
 * </ul>
 * The guarantee of the proofs is the halved rate (R_S(t) &lt;= exp(-r t / 2) R_S(0)) while lambda_min(Theta_train(t))
 * stays above half its initial value.
 *
 * @param empirical r_0
 * @param limit r_inf, when the limit is known
 * @param llz r_LLZ, when lambda_S > 0
 * @param notes why a rate is missing
 */
public record Rates(Rate empirical, Optional<Rate> limit, Optional<Rate> llz, List<String> notes) {
    /** Checks that the rates are set (present or empty) and copies the notes. */
    public Rates {
        requireNonNull(empirical, "empirical is null");
        requireNonNull(limit, "limit is null");
        requireNonNull(llz, "llz is null");
        notes = List.copyOf(notes);
    }

    /** r_0 = 2 eta lambda_min(Theta_train(0)) / n from the training kernel [n, n] at initialization. */
    public static Rate empirical(double eta, INDArray trainingKernel) {
        checkStep(eta);
        long n = trainingKernel.size(0);
        double value = 2 * eta * Spectra.lambdaMin(trainingKernel) / n;
        return new Rate(Rate.EMPIRICAL, "2 eta lambda_min(Theta_train(0)) / n, empirical", value);
    }

    /** r_inf = 2 eta (kappa^2/m) lambda_min(sum_l mu_l K^[l]) / n from the limits K^[l] [n, n]. */
    public static Rate limit(double eta, double kappa, int width, List<Double> mobilities, List<INDArray> limits) {
        checkStep(eta);
        if (limits.isEmpty() || limits.size() != mobilities.size()) {
            throw new FrameworkException(INVALID_ARGUMENT, "need one mobility per K^[l]: %d limits, %d mobilities"
                    .formatted(limits.size(), mobilities.size()));
        }
        INDArray sum = limits.get(0).mul(mobilities.get(0));
        for (int l = 1; l < limits.size(); l++) {
            sum.addi(limits.get(l).mul(mobilities.get(l)));
        }
        long n = sum.size(0);
        double value = 2 * eta * (kappa * kappa / width) * Spectra.lambdaMin(sum) / n;
        return new Rate(Rate.LIMIT, "2 eta (kappa^2/m) lambda_min(sum_l mu_l K^[l]) / n, infinite-width limit", value);
    }

    /** r_LLZ = 2 eta (kappa^2/m) (sum_l mu_l) lambda_S / n. */
    public static Rate llz(double eta, double kappa, int width, List<Double> mobilities, double lambdaS, long n) {
        checkStep(eta);
        double mobility = mobilities.stream().mapToDouble(Double::doubleValue).sum();
        double value = 2 * eta * (kappa * kappa / width) * mobility * lambdaS / n;
        return new Rate(Rate.LLZ, "2 eta (kappa^2/m) (sum_l mu_l) lambda_S / n, our reading of LLZ", value);
    }

    /**
     * All rates available for a run: r_0 from the kernels at initialization, r_inf and r_LLZ from the limit when given
     * (limits empty: no limit; lambdaS empty: no r_LLZ, e.g. "lambda_S = 0: no rate prediction").
     *
     * @param initial the symmetric empirical kernels at initialization on the training set
     * @param limits K^[1..L+1] on the training set, or an empty list
     */
    public static Rates of(double eta, TangentKernels initial, List<INDArray> limits, OptionalDouble lambdaS) {
        requireNonNull(initial, "initial is null");
        if (!initial.symmetric()) {
            throw new FrameworkException(INVALID_ARGUMENT, "rates need the symmetric kernels of the training set");
        }
        List<String> notes = new ArrayList<>();
        Rate empirical = empirical(eta, initial.train());
        Optional<Rate> limit = Optional.empty();
        Optional<Rate> llz = Optional.empty();
        if (limits.isEmpty()) {
            notes.add("r_inf and r_LLZ: no infinite-width limit given");
        } else {
            limit = Optional.of(limit(eta, initial.kappa(), initial.width(), initial.mobilities(), limits));
            if (lambdaS.isPresent()) {
                llz = Optional.of(llz(eta, initial.kappa(), initial.width(), initial.mobilities(),
                        lambdaS.getAsDouble(), initial.rows()));
            } else {
                notes.add("r_LLZ: lambda_S = 0: no rate prediction");
            }
        }
        return new Rates(empirical, limit, llz, notes);
    }

    private static void checkStep(double eta) {
        if (!(eta > 0) || !Double.isFinite(eta)) {
            throw new FrameworkException(INVALID_ARGUMENT,
                    "the base step eta must be positive and finite, found " + eta);
        }
    }
}
