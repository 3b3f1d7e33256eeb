package io.thetalazy.resnet;

import static io.thetalazy.core.error.ErrorCode.INVALID_CONFIG;

import io.thetalazy.core.error.FrameworkException;
import io.thetalazy.core.error.Suggestions;
import java.util.Arrays;
import java.util.Locale;

/**
 * The branch of every residual block. {@code DENSE}: dense, activation, dense on feature vectors [m];
 * {@code CONV}: convolution, activation, convolution (same padding, stride 1) on features [m, S...].
 */
public enum Branch {
    DENSE, CONV;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code dense} or {@code conv}, in any case. */
    public static Branch parse(String text) {
        for (Branch branch : values()) {
            if (branch.label().equalsIgnoreCase(text)) {
                return branch;
            }
        }
        var labels = Arrays.stream(values()).map(Branch::label).toList();
        throw new FrameworkException(INVALID_CONFIG, "resnet option branch must be one of %s, found '%s'%s"
                .formatted(labels, text, Suggestions.didYouMean(text, labels)));
    }
}
