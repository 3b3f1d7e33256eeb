package io.thetalazy.experiments.analysis;

import static io.thetalazy.core.error.ErrorCode.INVALID_CONFIG;

import io.thetalazy.core.error.FrameworkException;
import io.thetalazy.core.error.Suggestions;
import io.thetalazy.experiments.config.AnalysisSpec;
import io.thetalazy.experiments.config.Experiment;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The analyses an experiment file can name, each with the settings it takes. Written as a name ({@code
 * rd-vs-width}) or a map ({@code {name: critical-point, axis: rule.gamma}}); the settings are checked when the file is
 * read, before any cell runs.
 */
public final class Analyses {
    private Analyses() {}

    /**
     * One kind of analysis.
     *
     * @param keys the settings it takes
     * @param summary one line saying what it computes (for messages and docs)
     */
    public record Kind(String name, Set<String> keys, String summary, Function<AnalysisSpec, Analysis> factory) {}

    private static final Map<String, Kind> KINDS = new LinkedHashMap<>();

    static {
        register(new Kind("rd-vs-width", Set.of(), "slopes of RD, every RD_l and max_l RD_l against width, with "
                + "figures", spec -> new RdVsWidth()));
        register(new Kind("critical-point", CriticalPoint.KEYS, "where the slope of an observable against width "
                + "crosses zero along an axis, the critical line across another, a heat map of slopes",
                CriticalPoint::new));
        register(new Kind("step-convergence", StepConvergence.KEYS, "the slope against width at the smallest step "
                + "fraction beside the slope at larger ones", StepConvergence::new));
        register(new Kind("loss-decay", Set.of(), "the fitted exponential rate of the loss against r_0 and r_inf; "
                + "loss curves in units of 1/r_inf", spec -> new LossDecay()));
        register(new Kind("kernel-drift", Set.of(), "the change of the training kernel at the end against width, "
                + "with its slope (needs training.kernelEvery > 0)", spec -> new KernelDrift()));
        register(new Kind("activation-patterns", Set.of(), "per hidden layer, the fraction of units whose on/off "
                + "pattern over the training inputs changed in training, against width",
                spec -> new ActivationPatterns()));
        register(new Kind("condensation", Set.of("widths"), "two-layer networks: orientation and amplitude of every "
                + "neuron at init and at the end, and the learned function", Condensation::of));
        register(new Kind("kernel-convergence", Set.of(), "|G^[l] - K^[l]| / |K^[l]| at initialization against "
                + "width, per layer, with slopes", spec -> new KernelConvergence()));
        register(new Kind("generalization", Set.of("heldOut"), "held-out error of the trained network and of its "
                + "kernel predictors against kappa", Generalization::of));
        register(new Kind("comparison", Set.of(), "one table of the groups: slopes of max_l RD_l and RD, decay over "
                + "its prediction, drift, activation patterns, held-out gap (from the analyses listed before it)",
                spec -> new Comparison()));
    }

    private static void register(Kind kind) {
        KINDS.put(kind.name(), kind);
    }

    /** Every analysis there is, by name. */
    public static Map<String, Kind> kinds() {
        return Collections.unmodifiableMap(KINDS);
    }

    /** Checks a spec's name and settings; {@code where} names it in the message ({@code "exp.yaml: analyses[1]"}). */
    public static void check(AnalysisSpec spec, String where) {
        create(spec, where);
    }

    /** The analysis a spec names, its name, setting names and values checked ({@link #check}). */
    private static Analysis create(AnalysisSpec spec, String where) {
        Kind kind = KINDS.get(spec.name());
        if (kind == null) {
            throw new FrameworkException(INVALID_CONFIG, "%s: unknown analysis '%s'%s; analyses: %s".formatted(where,
                    spec.name(), Suggestions.didYouMean(spec.name(), KINDS.keySet()), String.join(", ", KINDS.keySet())));
        }
        for (String key : spec.settings().keySet()) {
            if (!kind.keys().contains(key)) {
                throw new FrameworkException(INVALID_CONFIG, "%s: analysis '%s' takes no setting '%s'%s; it takes: %s"
                        .formatted(where, spec.name(), key, Suggestions.didYouMean(key, kind.keys()),
                                kind.keys().isEmpty() ? "none" : String.join(", ", List.copyOf(kind.keys()))));
            }
        }
        try {
            return kind.factory().apply(spec);   // the values: each analysis checks its own when it is made
        } catch (FrameworkException e) {
            throw new FrameworkException(INVALID_CONFIG, where + ": " + e.getMessage());
        }
    }

    /** Checks every analysis of an experiment, and that the report shows only analyses it has. */
    public static void check(Experiment experiment) {
        for (int i = 0; i < experiment.analyses().size(); i++) {
            check(experiment.analyses().get(i), "%s: analyses[%d]".formatted(experiment.name(), i));
        }
    }

    public static Analysis create(AnalysisSpec spec) {
        return create(spec, "analyses");
    }
}
