package io.thetalazy.core.layer;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * Process-wide numeric defaults: ND4J's default data type is float32, the framework's is float64 (DESIGN 4). Called
 * from the static initializers of the classes that create arrays, so library users need not remember it.
 *
 * <p>Threads: unless {@code OMP_NUM_THREADS} is set, ND4J's own (OpenMP) operations run on one thread while GEMMs
 * keep OpenBLAS's threads. The pointwise operations are memory-bound, and an OpenMP team that spin-waits between
 * operations takes the cores from OpenBLAS's threads: measured on 2 shared cores, a small-gd step took 15-24 ms with
 * two OpenMP threads and 1.4-2.7 ms with one, and a gd-step 360-450 ms against 300-340 ms.
 */
public final class Numerics {
    private static volatile boolean initialized;

    private Numerics() {}

    public static void useFloat64() {
        if (!initialized) {
            synchronized (Numerics.class) {
                if (!initialized) {
                    Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
                    if (System.getenv("OMP_NUM_THREADS") == null) {
                        NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(1);
                    }
                    initialized = true;
                }
            }
        }
    }
}
