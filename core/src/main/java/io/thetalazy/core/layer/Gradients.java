package io.thetalazy.core.layer;

import static io.thetalazy.core.error.ErrorCode.UNKNOWN_NAME;

import io.thetalazy.core.error.FrameworkException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Parameter gradients dR/dW by parameter name, filled by {@link Layer#backward}. {@link #discard()} gives a sink that
 * keeps nothing, for backward passes run only to record cotangents (tangent kernels).
 *
 * <p>Layers write their gradients into {@link #buffer}s: a Gradients object passed to backward again (the trainer
 * keeps one per training loop) has its arrays overwritten in place, not reallocated (docs/numerics.md#fresh-memory:
 * fresh memory is slow).
 */
public final class Gradients {
    private final Map<String, INDArray> arrays;
    private final String suffix;
    private final boolean keeping;

    private Gradients(Map<String, INDArray> arrays, String suffix, boolean keeping) {
        this.arrays = arrays;
        this.suffix = suffix;
        this.keeping = keeping;
    }

    /** An empty container that keeps every gradient put into it. */
    public Gradients() {
        this(new LinkedHashMap<>(), "", true);
    }

    /** A sink that keeps nothing (see the class comment). */
    public static Gradients discard() {
        return new Gradients(new LinkedHashMap<>(), "", false);
    }

    /** False for {@link #discard()}: layers may then skip computing parameter gradients. */
    public boolean wanted() {
        return keeping;
    }

    /** A view of the same container whose names carry {@code suffix} (the antisymmetric copy's gradients). */
    public Gradients withSuffix(String suffix) {
        return new Gradients(arrays, this.suffix + suffix, keeping);
    }

    /** Stores the gradient of the parameter {@code name} (nothing for {@link #discard()}). */
    public void put(String name, INDArray gradient) {
        if (keeping) {
            arrays.put(name + suffix, gradient);
        }
    }

    /**
     * The gradient array of name to overwrite: the one already held when its type and shape match those of
     * {@code like} (the parameter), else a new 'c'-order zero array, which is held from then on (not held by
     * {@link #discard()}).
     */
    public INDArray buffer(String name, INDArray like) {
        INDArray kept = arrays.get(name + suffix);
        if (kept != null && kept.dataType() == like.dataType() && Arrays.equals(kept.shape(), like.shape())
                && kept.ordering() == 'c') {
            return kept;
        }
        INDArray fresh = Nd4j.create(like.dataType(), like.shape());
        put(name, fresh);
        return fresh;
    }

    /** The gradient of the parameter {@code name}; fails when none was put. */
    public INDArray get(String name) {
        INDArray gradient = arrays.get(name + suffix);
        if (gradient == null) {
            throw new FrameworkException(UNKNOWN_NAME,
                    "no gradient for '" + name + suffix + "'; present: " + arrays.keySet());
        }
        return gradient;
    }

    /** Every gradient held by name, read-only. */
    public Map<String, INDArray> asMap() {
        return java.util.Collections.unmodifiableMap(arrays);
    }
}
