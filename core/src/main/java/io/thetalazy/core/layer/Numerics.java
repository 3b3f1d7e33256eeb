package io.thetalazy.core.layer;

import io.thetalazy.core.error.FrameworkException;
import java.util.concurrent.CompletableFuture;
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
     * Runs BLAS calls on their calling thread only until {@link AutoCloseable#close} restores the thread count: for
     * code that runs networks in several threads at once (an experiment's cells). OpenBLAS's own threads are not safe
     * under concurrent callers (measured: two cells of width 2000 in two threads crashed the JVM in native code), and
     * one thread per cell is what the cores allow anyway. Nested uses keep it single-threaded until the outermost
     * closes.
     */
    public static SingleThreadedBlas singleThreadedBlas() {
        useFloat64();
        synchronized (Numerics.class) {
            if (singleThreadedUsers++ == 0) {
                threadsBefore = Nd4j.factory().blas().getMaxThreads();
                Nd4j.factory().blas().setMaxThreads(1);
            }
        }
        return new SingleThreadedBlas();
    }

    /** The scope of {@link #singleThreadedBlas()}; closing it twice has no further effect. */
    public static final class SingleThreadedBlas implements AutoCloseable {
        private boolean closed;

        private SingleThreadedBlas() {}

        @Override
        public void close() {
            synchronized (Numerics.class) {
                if (closed) {
                    return;
                }
                closed = true;
                if (--singleThreadedUsers == 0) {
                    Nd4j.factory().blas().setMaxThreads(threadsBefore);
                }
            }
        }
    }

    private static int singleThreadedUsers;
    private static int threadsBefore;

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
                    // the check's plain-Java references are computed while ND4J's backend loads
                    CompletableFuture<BlasSelfCheck.Reference> reference =
                            BlasSelfCheck.enabled() ? BlasSelfCheck.prepare() : null;
                    Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
                    if (System.getenv("OMP_NUM_THREADS") == null) {
                        NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(1);
                    }
                    blasFailure = reference == null ? null : BlasSelfCheck.run(reference.join());
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
