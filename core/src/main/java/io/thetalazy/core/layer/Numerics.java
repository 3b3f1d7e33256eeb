package io.thetalazy.core.layer;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Process-wide numeric defaults: ND4J's default data type is float32, the framework's is float64 (DESIGN 4). Called
 * from the static initializers of the classes that create arrays, so library users need not remember it.
 */
public final class Numerics {
    private static volatile boolean initialized;

    private Numerics() {}

    public static void useFloat64() {
        if (!initialized) {
            synchronized (Numerics.class) {
                if (!initialized) {
                    Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
                    initialized = true;
                }
            }
        }
    }
}
