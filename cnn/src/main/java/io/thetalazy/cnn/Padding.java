package io.thetalazy.cnn;

import static io.thetalazy.core.error.ErrorCode.INVALID_CONFIG;

import io.thetalazy.core.error.FrameworkException;
import io.thetalazy.core.error.Suggestions;
import java.util.Arrays;
import java.util.Locale;

/**
 * Zero padding of a convolution. {@code SAME}: ceil(S / stride) outputs per axis, the missing (out - 1) stride + k - S
 * entries padded with zeros, the smaller half before (TensorFlow's convention); {@code VALID}: no padding,
 * floor((S - k) / stride) + 1 outputs, so the kernel must fit in the input.
 */
public enum Padding {
    SAME, VALID;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code same} or {@code valid}, in any case. */
    public static Padding parse(String text) {
        for (Padding padding : values()) {
            if (padding.label().equalsIgnoreCase(text)) {
                return padding;
            }
        }
        var labels = Arrays.stream(values()).map(Padding::label).toList();
        throw new FrameworkException(INVALID_CONFIG, "cnn option padding must be one of %s, found '%s'%s"
                .formatted(labels, text, Suggestions.didYouMean(text, labels)));
    }
}
