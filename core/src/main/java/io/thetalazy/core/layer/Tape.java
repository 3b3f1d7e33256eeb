package io.thetalazy.core.layer;

import static io.thetalazy.core.error.ErrorCode.INVALID_ARGUMENT;
import static java.util.Objects.requireNonNull;

import io.thetalazy.core.error.FrameworkException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Per-call forward state. {@link Layer#apply} records what {@link Layer#backward} and {@link Layer#tangentGram} need;
 * composite layers give each child its own {@link #child(int) sub-tape}, so layers themselves stay immutable.
 * Backward passes also record the cotangent at each trainable layer's output, which the tangent-kernel contraction
 * reads.
 *
 * <p>A tape also keeps the arrays layers write their results into ({@link #buffer}): used again for a call of the same
 * shapes, they are overwritten instead of allocated, which matters because first touch of fresh off-heap memory is
 * slow (docs/numerics.md#fresh-memory). So a tape reused across calls (the trainer's, one per training loop) makes the
 * arrays returned by the previous call invalid; a fresh tape per call (the default) never overwrites anything a caller
 * still holds. Two tapes alive at once (tangent kernels) share no arrays.
 */
public final class Tape {
    private final Map<String, INDArray> arrays = new HashMap<>();
    private final Map<String, INDArray> buffers = new HashMap<>();
    private final List<Tape> children = new ArrayList<>();

    /** An empty tape, for one call or for a loop that reuses its arrays. */
    public Tape() {}

    /** The sub-tape of a composite layer's child {@code index} (created on first use). */
    public Tape child(int index) {
        while (children.size() <= index) {
            children.add(new Tape());
        }
        return children.get(index);
    }

    /** Records an array under key for the backward pass or the tangent-kernel contraction. */
    public void put(String key, INDArray value) {
        arrays.put(requireNonNull(key, "key is null"), requireNonNull(value, "value is null"));
    }

    /** The array recorded under key; fails if the forward or backward pass that records it has not run. */
    public INDArray array(String key) {
        INDArray value = arrays.get(key);
        if (value == null) {
            throw new FrameworkException(INVALID_ARGUMENT,
                    "tape has no '" + key + "': run apply (and backward for cotangents) first");
        }
        return value;
    }

    /** Whether an array is recorded under key. */
    public boolean has(String key) {
        return arrays.containsKey(key);
    }

    /**
     * A 'c'-order array of the given type and shape kept on this tape under key, for a layer's own result: the one
     * kept by the previous call when its type and shape match, else a new zero array (which replaces it). The caller
     * overwrites its contents; buffers and recorded arrays are separate name spaces.
     */
    public INDArray buffer(String key, DataType type, long... shape) {
        INDArray kept = buffers.get(key);
        if (kept != null && kept.dataType() == type && Arrays.equals(kept.shape(), shape) && kept.ordering() == 'c') {
            return kept;
        }
        INDArray fresh = Nd4j.create(type, shape);
        buffers.put(requireNonNull(key, "key is null"), fresh);
        return fresh;
    }

    /** {@link #buffer(String, DataType, long...)} with the type and shape of {@code like}. */
    public INDArray buffer(String key, INDArray like) {
        return buffer(key, like.dataType(), like.shape());
    }
}
