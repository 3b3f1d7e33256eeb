package io.thetalazy.experiments.cli;

import static io.thetalazy.core.error.ErrorCode.INVALID_CONFIG;

import io.thetalazy.core.error.FrameworkException;
import java.util.List;

/** Range checks of numeric command-line options (picocli checks the type), naming the option and the value. */
final class OptionValues {
    private OptionValues() {}

    static void atLeast(String option, long value, long min, String meaning) {
        if (value < min) {
            throw new FrameworkException(INVALID_CONFIG, "%s must be %s, found %d".formatted(option, meaning, value));
        }
    }

    static void eachAtLeast(String option, List<Integer> values, int min, String meaning) {
        if (values.isEmpty()) {
            throw new FrameworkException(INVALID_CONFIG, option + " needs at least one value");
        }
        for (int value : values) {
            atLeast(option, value, min, meaning);
        }
    }

    static void eachFinite(String option, List<Double> values) {
        if (values.isEmpty()) {
            throw new FrameworkException(INVALID_CONFIG, option + " needs at least one value");
        }
        for (double value : values) {
            if (!Double.isFinite(value)) {
                throw new FrameworkException(INVALID_CONFIG, "%s must be finite numbers, found %s".formatted(option,
                        value));
            }
        }
    }
}
