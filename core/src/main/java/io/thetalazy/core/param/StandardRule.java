package io.thetalazy.core.param;

import static io.thetalazy.core.error.ErrorCode.INVALID_CONFIG;
import static java.util.Objects.requireNonNull;

import io.thetalazy.core.error.FrameworkException;
import java.util.Locale;
import java.util.Map;

/**
 * Standard parametrization: s_l = 1 and the init std carries the fan-in (docs/theory.md#scaling-rules). Gains: {@code
 * lecun} beta = 1/sqrt(n_{l-1}); {@code he} beta = sqrt(2/n_{l-1}); {@code xavier} beta = sqrt(2/(n_{l-1} + n_l)) with
 * n_{L+1} = 1. LXMZ Table 1: LeCun and He at (gamma, gamma') = (0.5, 0.5), Xavier at (1, 0).
 *
 * @param gain the init-std convention: LeCun, He or Xavier
 */
public record StandardRule(Gain gain) implements ScalingRule {
    /** The name configs select this rule by ({@code standard}). */
    public static final String NAME = "standard";

    /** The init-std conventions of the standard parametrization. */
    public enum Gain {
        /** beta = 1/sqrt(n_{l-1}). */
        LECUN,
        /** beta = sqrt(2/n_{l-1}). */
        HE,
        /** beta = sqrt(2/(n_{l-1} + n_l)), n_{L+1} = 1. */
        XAVIER;

        /** The config's spelling: {@code lecun}, {@code he} or {@code xavier}. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        /**
         * The gain spelled {@code text} (any case).
         *
         * @throws io.thetalazy.core.error.FrameworkException {@code INVALID_CONFIG} for any other text
         */
        public static Gain parse(String text) {
            for (Gain gain : values()) {
                if (gain.label().equals(text.toLowerCase(Locale.ROOT))) {
                    return gain;
                }
            }
            throw new FrameworkException(INVALID_CONFIG,
                    "standard rule gain must be one of lecun, he, xavier, found '" + text + "'");
        }
    }

    /** Checks that the gain is set. */
    public StandardRule {
        requireNonNull(gain, "gain is null");
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Map<String, Object> parameters() {
        return Map.of("gain", gain.label());
    }

    @Override
    public LayerScaling weight(LayerSlot slot) {
        Scaled initStd = switch (gain) {
            case LECUN -> slot.fanInScaled().sqrt().inverse();
            case HE -> new Scaled(2, 0).times(slot.fanInScaled().inverse()).sqrt();
            case XAVIER -> new Scaled(2.0 / (slot.fanIn() + slot.fanOut()),
                    -Math.max(slot.fanInPower(), slot.fanOutPower())).sqrt();
        };
        return new LayerScaling(Scaled.ONE, initStd, Scaled.ONE);
    }

    @Override
    public Scaled outputMultiplier(LayerSlot readout) {
        return Scaled.ONE;
    }
}
