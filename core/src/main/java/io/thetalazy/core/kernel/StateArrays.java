package io.thetalazy.core.kernel;

import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Helpers for kernel rules that stream over the memory of a state's arrays in plain Java instead of chaining
 * whole-array ND4J ops (each of which allocates and first-touches a temporary of the full size,
 * docs/numerics.md#fresh-memory).
 */
public final class StateArrays {
    private StateArrays() {}

    /** Whether the array is float64, c-ordered and owns exactly its entries (so its buffer is its flat entries). */
    public static boolean plain(INDArray array) {
        return array.dataType() == DataType.DOUBLE && array.ordering() == 'c' && array.offset() == 0
                && array.data().length() == array.length()
                && Arrays.equals(array.stride(), Nd4j.getStrides(array.shape(), 'c'));
    }

    /** The array as a plain one: itself when {@link #plain}, else a float64 c-ordered copy. */
    public static INDArray plainOf(INDArray array) {
        return plain(array) ? array : array.castTo(DataType.DOUBLE).dup('c');
    }

    /** The entries of a {@link #plain} array, in native memory (absolute gets and puts are safe across threads). */
    public static DoubleBuffer buffer(INDArray array) {
        return array.data().asNio().order(ByteOrder.nativeOrder()).asDoubleBuffer();
    }
}
