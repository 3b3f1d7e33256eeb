package io.thetalazy.cnn;

import static io.thetalazy.core.error.ErrorCode.INVALID_CONFIG;

import io.thetalazy.core.error.FrameworkException;
import io.thetalazy.core.error.Suggestions;
import java.util.Arrays;
import java.util.Locale;

/**
 * How the last hidden features [m, S...] reach the scalar output (docs/theory.md#convolutional-networks). {@code
 * FLATTEN}: a dense readout over the m P features, f = kappa (1/m) sum_{c, p} Zhat_{c, p} x_c(p); {@code
 * GLOBAL_AVERAGE}: a dense readout over the m position-averaged channels, f = kappa (1/m) sum_c Zhat_c mean_p x_c(p).
 */
public enum Readout {
    FLATTEN, GLOBAL_AVERAGE;

    /** {@code flatten} or {@code global-average}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Parses a label ({@code global-average}; {@code global_average} and any case are accepted too). */
    public static Readout parse(String text) {
        for (Readout readout : values()) {
            if (readout.label().equalsIgnoreCase(text.replace('_', '-'))) {
                return readout;
            }
        }
        var labels = Arrays.stream(values()).map(Readout::label).toList();
        throw new FrameworkException(INVALID_CONFIG, "cnn option readout must be one of %s, found '%s'%s"
                .formatted(labels, text, Suggestions.didYouMean(text, labels)));
    }
}
