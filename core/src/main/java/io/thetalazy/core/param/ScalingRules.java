package io.thetalazy.core.param;

import com.google.common.collect.ImmutableSet;
import com.google.common.collect.ImmutableSortedMap;
import java.util.SortedMap;

/** Factories of the built-in scaling rules, by name (docs/theory.md#scaling-rules). */
public final class ScalingRules {
    private ScalingRules() {}

    /** {@code ntk}: the NTK parametrization ({@link NtkRule}). */
    public static final ScalingRuleFactory NTK = ScalingRuleFactory.of(ImmutableSet.of(), p -> new NtkRule());
    /** {@code standard}, parameter {@code gain} (lecun, he or xavier; default lecun): {@link StandardRule}. */
    public static final ScalingRuleFactory STANDARD = ScalingRuleFactory.of(ImmutableSet.of("gain"),
            p -> new StandardRule(StandardRule.Gain.parse(p.text("gain", "lecun"))));
    /** {@code mean-field}: {@link MeanFieldRule}. */
    public static final ScalingRuleFactory MEAN_FIELD = ScalingRuleFactory.of(ImmutableSet.of(), p -> new MeanFieldRule());
    /** {@code mup}: {@link MupRule}. */
    public static final ScalingRuleFactory MUP = ScalingRuleFactory.of(ImmutableSet.of(), p -> new MupRule());
    /**
     * {@code theta-lazy}, parameters {@code gamma} (default 0.5), {@code kappa0} (1) and {@code b} (all zero): {@link
     * ThetaLazyRule}.
     */
    public static final ScalingRuleFactory THETA_LAZY = ScalingRuleFactory.of(ImmutableSet.of("gamma", "kappa0", "b"),
            p -> new ThetaLazyRule(p.number("gamma", 0.5), p.number("kappa0", 1), p.numbers("b")));
    /**
     * {@code lxmz}, parameters {@code gamma} (default 1), {@code gammaPrime} (0) and {@code b} (0): {@link LxmzRule}.
     */
    public static final ScalingRuleFactory LXMZ = ScalingRuleFactory.of(ImmutableSet.of("gamma", "gammaPrime", "b"),
            p -> new LxmzRule(p.number("gamma", 1), p.number("gammaPrime", 0), p.number("b", 0)));

    /** The built-in factories by name, sorted. */
    public static SortedMap<String, ScalingRuleFactory> builtIn() {
        return ImmutableSortedMap.<String, ScalingRuleFactory>naturalOrder()
                .put(NtkRule.NAME, NTK)
                .put(StandardRule.NAME, STANDARD)
                .put(MeanFieldRule.NAME, MEAN_FIELD)
                .put(MupRule.NAME, MUP)
                .put(ThetaLazyRule.NAME, THETA_LAZY)
                .put(LxmzRule.NAME, LXMZ)
                .build();
    }
}
