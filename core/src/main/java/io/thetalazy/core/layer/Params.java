package io.thetalazy.core.layer;

import static io.thetalazy.core.error.ErrorCode.SHAPE_MISMATCH;
import static io.thetalazy.core.error.ErrorCode.UNKNOWN_NAME;
import static java.util.Objects.requireNonNull;

import io.thetalazy.core.error.FrameworkException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The trainable arrays of a network, by parameter name ({@code dense-1}, {@code dense-1-bias},
 * {@code dense-1-mirror}, ...), in raw units (W, not W / beta). Owned by the trainer, which updates the arrays in
 * place; everything else treats them as read-only. Insertion order is kept, so iteration is deterministic.
 */
public final class Params {
    private final Map<String, INDArray> arrays;
    private final String suffix;

    /** An empty container. */
    public Params() {
        this(new LinkedHashMap<>(), "");
    }

    private Params(Map<String, INDArray> arrays, String suffix) {
        this.arrays = arrays;
        this.suffix = suffix;
    }

    /** A view whose {@code get(name)} reads {@code name + suffix} of the same container (the antisymmetric copy). */
    public Params withSuffix(String suffix) {
        return new Params(arrays, this.suffix + requireNonNull(suffix, "suffix is null"));
    }

    /** The array of the parameter {@code name}; fails when there is none. */
    public INDArray get(String name) {
        INDArray array = arrays.get(name + suffix);
        if (array == null) {
            throw new FrameworkException(UNKNOWN_NAME,
                    "no parameter '" + name + suffix + "'; present: " + arrays.keySet());
        }
        return array;
    }

    /** Whether the parameter {@code name} is present. */
    public boolean contains(String name) {
        return arrays.containsKey(name + suffix);
    }

    /** Stores an array; replacing one requires the same shape. */
    public void put(String name, INDArray array) {
        requireNonNull(array, "array is null");
        INDArray old = arrays.get(name + suffix);
        if (old != null && !Arrays.equals(old.shape(), array.shape())) {
            throw new FrameworkException(SHAPE_MISMATCH, "parameter '%s' has shape %s, cannot replace it by %s"
                    .formatted(name + suffix, Arrays.toString(old.shape()), Arrays.toString(array.shape())));
        }
        arrays.put(name + suffix, array);
    }

    /** All parameter names of the underlying container, in insertion order. */
    public List<String> names() {
        return List.copyOf(arrays.keySet());
    }

    /**
     * A deep copy with every array cast to type (float32 training: the initializers draw float64,
     * docs/numerics.md#float64); the network computes in the parameters' type.
     */
    public Params castTo(DataType type) {
        requireNonNull(type, "type is null");
        Map<String, INDArray> copies = new LinkedHashMap<>();
        arrays.forEach((name, array) -> copies.put(name, array.dataType() == type ? array.dup() : array.castTo(type)));
        return new Params(copies, suffix);
    }

    /** A deep copy (for snapshots such as params/init). */
    public Params copy() {
        Map<String, INDArray> copies = new LinkedHashMap<>();
        arrays.forEach((name, array) -> copies.put(name, array.dup()));
        return new Params(copies, suffix);
    }
}
