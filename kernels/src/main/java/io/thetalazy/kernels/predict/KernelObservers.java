package io.thetalazy.kernels.predict;

import io.thetalazy.core.train.Observer;
import java.util.List;

/** The kernel observers a run can record (docs/theory.md#observables): columns {@code drift} and {@code lambdaMin}. */
public final class KernelObservers {
    private KernelObservers() {}

    /**
     * A fresh {@link KernelObserver} (one per run) computing the training kernel at recorded steps at least
     * {@code every} steps apart.
     */
    public static List<Observer> driftAndLambdaMin(int every) {
        return List.of(new KernelObserver(every));
    }
}
