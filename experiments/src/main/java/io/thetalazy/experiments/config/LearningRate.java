package io.thetalazy.experiments.config;

import static io.thetalazy.core.error.ErrorCode.INVALID_CONFIG;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.thetalazy.core.error.FrameworkException;

/**
 * The base step: a positive number ({@code fixed}), {@code auto} (c n / lambda_max of Theta_train at init) or
 * {@code adaptive} (the same fraction of the current bound, recomputed during training).
 */
public record LearningRate(Mode mode, double value) {
    /** How the base step is chosen. */
    public enum Mode {
        FIXED, AUTO, ADAPTIVE
    }

    public LearningRate {
        if (mode == Mode.FIXED && !(value > 0 && Double.isFinite(value))) {
            throw new FrameworkException(INVALID_CONFIG, "learningRate must be a positive number, 'auto' or 'adaptive', found "
                    + value);
        }
    }

    public static LearningRate fixed(double value) {
        return new LearningRate(Mode.FIXED, value);
    }

    public static final LearningRate AUTO = new LearningRate(Mode.AUTO, Double.NaN);
    public static final LearningRate ADAPTIVE = new LearningRate(Mode.ADAPTIVE, Double.NaN);

    @JsonCreator
    static LearningRate parse(Object value) {
        if (value instanceof Number number) {
            return fixed(number.doubleValue());
        }
        String text = String.valueOf(value).trim();
        return switch (text) {
            case "auto" -> AUTO;
            case "adaptive" -> ADAPTIVE;
            default -> {
                try {
                    yield fixed(Double.parseDouble(text));
                } catch (NumberFormatException e) {
                    throw new FrameworkException(INVALID_CONFIG,
                            "learningRate must be a positive number, 'auto' or 'adaptive', found '" + text + "'");
                }
            }
        };
    }

    @JsonValue
    Object serialized() {
        return switch (mode) {
            case FIXED -> value;
            case AUTO -> "auto";
            case ADAPTIVE -> "adaptive";
        };
    }

    public String label() {
        return mode.name().toLowerCase(java.util.Locale.ROOT);
    }
}
