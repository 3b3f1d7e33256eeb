package io.thetalazy.core.layer;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Per-call forward state. {@link Layer#apply} records what {@link Layer#backward} and {@link Layer#tangentGram} need;
 * composite layers give each child its own {@link #child(int) sub-tape}, so layers themselves stay immutable.
 * Backward passes also record the cotangent at each trainable layer's output, which the tangent-kernel contraction
 * reads.
 */
public final class Tape {
    private final Map<String, INDArray> arrays = new HashMap<>();
    private final List<Tape> children = new ArrayList<>();

    public Tape child(int index) {
        while (children.size() <= index) {
            children.add(new Tape());
        }
        return children.get(index);
    }

    public void put(String key, INDArray value) {
        arrays.put(requireNonNull(key, "key is null"), requireNonNull(value, "value is null"));
    }

    /** The array recorded under key; fails if the forward or backward pass that records it has not run. */
    public INDArray array(String key) {
        INDArray value = arrays.get(key);
        if (value == null) {
            throw new IllegalStateException("tape has no '" + key + "': run apply (and backward for cotangents) first");
        }
        return value;
    }

    public boolean has(String key) {
        return arrays.containsKey(key);
    }
}
