package io.thetalazy.core.layer;

import io.thetalazy.core.error.FrameworkException;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * Process-wide numeric set-up, run before the first number is computed: ND4J's default data type is float32, the
 * framework's float64 (docs/numerics.md#float64), and the BLAS library must compute right ({@link BlasSelfCheck}).
 * Called from the static initializers of the classes that create arrays, so library users need not remember it; calling
 * it first explicitly makes a broken BLAS surface as a {@link FrameworkException} instead of an
 * ExceptionInInitializerError.
 *
 * <p>Threads: unless {@code OMP_NUM_THREADS} is set, ND4J's own (OpenMP) operations run on one thread while GEMMs
 * keep OpenBLAS's threads. The pointwise operations are memory-bound, and an OpenMP team that spin-waits between
 * operations takes the cores from OpenBLAS's threads: measured on 2 shared cores, a small-gd step took 15-24 ms with
 * two OpenMP threads and 1.4-2.7 ms with one, and a gd-step 360-450 ms against 300-340 ms.
 */
public final class Numerics {
    private static volatile boolean initialized;
    private static volatile FrameworkException blasFailure;

    private Numerics() {}

    /**
     * Sets float64 and the thread counts, and checks the BLAS once per process.
     *
     * @throws FrameworkException with {@code BROKEN_BLAS} when the BLAS computes wrong numbers (every call, not only
     *     the first)
     */
    public static void useFloat64() {
        if (!initialized) {
            synchronized (Numerics.class) {
                if (!initialized) {
                    Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
                    if (System.getenv("OMP_NUM_THREADS") == null) {
                        NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(1);
                    }
                    blasFailure = BlasSelfCheck.enabled() ? BlasSelfCheck.run() : null;
                    initialized = true;
                }
            }
        }
        FrameworkException failure = blasFailure;
        if (failure != null) {
            throw new FrameworkException(failure.errorCode(), failure.getMessage());
        }
    }
}
