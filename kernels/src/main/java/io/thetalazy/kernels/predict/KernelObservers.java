package io.thetalazy.kernels.predict;

import io.thetalazy.core.train.Observer;
import java.util.List;

/** Placeholder until the kernel observers land. */
public final class KernelObservers {
    private KernelObservers() {}

    public static List<Observer> driftAndLambdaMin(int every) {
        throw new UnsupportedOperationException("pending");
    }
}
