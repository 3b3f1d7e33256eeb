package io.thetalazy.resnet;

import static io.thetalazy.core.error.ErrorCode.INVALID_CONFIG;
import static java.util.Objects.requireNonNull;

import io.thetalazy.core.error.FrameworkException;
import java.util.List;

/**
 * The branch multiplier tau of x -> x + tau b(x), given as {@code 1}, {@code 1/sqrt(B)}, {@code 1/B} (B: the number of
 * blocks) or a non-negative number. tau = 1/sqrt(B) keeps Sigma^B bounded as B grows; tau = 1 lets it grow like
 * (1 + tau^2 sigma_v^2 sigma_w^2 / 2)^B for relu (docs/theory.md#residual-networks).
 *
 * @param label the option as given: {@code 1/sqrt(B)}, {@code 1/B} or a number
 */
public record BranchMultiplier(String label) {
    public static final String INVERSE_SQRT_BLOCKS = "1/sqrt(B)";
    public static final String INVERSE_BLOCKS = "1/B";
    public static final BranchMultiplier ONE = new BranchMultiplier("1");

    public BranchMultiplier {
        requireNonNull(label, "label is null");
        label = label.strip();
        if (!label.equalsIgnoreCase(INVERSE_SQRT_BLOCKS) && !label.equalsIgnoreCase(INVERSE_BLOCKS)) {
            double value;
            try {
                value = Double.parseDouble(label);
            } catch (NumberFormatException e) {
                throw new FrameworkException(INVALID_CONFIG, "resnet option tau must be one of %s or a number, found '%s'"
                        .formatted(List.of("1", INVERSE_SQRT_BLOCKS, INVERSE_BLOCKS), label));
            }
            if (!(value >= 0) || Double.isInfinite(value)) {
                throw new FrameworkException(INVALID_CONFIG,
                        "resnet option tau must be a finite non-negative number, found " + label);
            }
        }
    }

    /** tau for a network of the given number of blocks. */
    public double value(int blocks) {
        if (label.equalsIgnoreCase(INVERSE_SQRT_BLOCKS)) {
            return 1 / Math.sqrt(blocks);
        }
        if (label.equalsIgnoreCase(INVERSE_BLOCKS)) {
            return 1.0 / blocks;
        }
        return Double.parseDouble(label);
    }
}
