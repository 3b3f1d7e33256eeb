package io.thetalazy.kernels.predict;

import io.thetalazy.core.train.StepSize;

/** Placeholder until the kernel-based step sizes land. */
public final class StepSizes {
    private StepSizes() {}

    public static StepSize auto(double fraction) {
        throw new UnsupportedOperationException("pending");
    }

    public static StepSize adaptive(double fraction, int every) {
        throw new UnsupportedOperationException("pending");
    }
}
