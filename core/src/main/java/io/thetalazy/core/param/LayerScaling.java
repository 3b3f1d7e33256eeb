package io.thetalazy.core.param;

import static io.thetalazy.core.error.ErrorCode.INVALID_ARGUMENT;
import static java.util.Objects.requireNonNull;

import io.thetalazy.core.error.FrameworkException;

/**
 * The three numbers a scaling rule sets for one trainable array (docs/theory.md#raw-parametrization): forward
 * multiplier s_l (the layer computes s_l W x), init std beta_l (W = beta_l Z) and learning-rate multiplier eta_l (W -=
 * eta eta_l dR/dW).
 *
 * @param forward the forward multiplier s_l
 * @param initStd the init std beta_l; non-negative
 * @param lrMultiplier the learning-rate multiplier eta_l; non-negative
 */
public record LayerScaling(Scaled forward, Scaled initStd, Scaled lrMultiplier) {
    /** Checks that the init std and the learning-rate multiplier are non-negative. */
    public LayerScaling {
        requireNonNull(forward, "forward is null");
        requireNonNull(initStd, "initStd is null");
        requireNonNull(lrMultiplier, "lrMultiplier is null");
        if (initStd.value() < 0) {
            throw new FrameworkException(INVALID_ARGUMENT, "init std must be non-negative, found " + initStd.value());
        }
        if (lrMultiplier.value() < 0) {
            throw new FrameworkException(INVALID_ARGUMENT,
                    "learning-rate multiplier must be non-negative, found " + lrMultiplier.value());
        }
    }

    /** Mobility mu = eta_l / beta_l^2: the learning-rate multiplier in normalized units (docs/theory.md#mobilities). */
    public Scaled mobility() {
        return lrMultiplier.times(initStd.times(initStd).inverse());
    }
}
