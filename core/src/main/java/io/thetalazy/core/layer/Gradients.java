package io.thetalazy.core.layer;

import static io.thetalazy.core.error.ErrorCode.INVALID_ARGUMENT;
import static io.thetalazy.core.error.ErrorCode.SHAPE_MISMATCH;
import static io.thetalazy.core.error.ErrorCode.UNKNOWN_NAME;

import io.thetalazy.core.error.FrameworkException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Parameter gradients dR/dW by parameter name, filled by {@link Layer#backward}. {@link #discard()} gives a sink that
 * keeps nothing, for backward passes run only to record cotangents (tangent kernels); {@link #descent} one that takes
 * a gradient-descent step with them.
 *
 * <p>Layers write their gradients into {@link #buffer}s, or as one {@link #product}: a Gradients object passed to
 * backward again (the trainer keeps one per training loop) has its arrays overwritten in place, not reallocated
 * (docs/numerics.md#fresh-memory: fresh memory is slow).
 */
public final class Gradients {
    private final Map<String, INDArray> arrays;
    private final String suffix;
    private final boolean keeping;
    private final Descent descent;

    private Gradients(Map<String, INDArray> arrays, String suffix, boolean keeping, Descent descent) {
        this.arrays = arrays;
        this.suffix = suffix;
        this.keeping = keeping;
        this.descent = descent;
    }

    /** An empty container that keeps every gradient put into it. */
    public Gradients() {
        this(new LinkedHashMap<>(), "", true, null);
    }

    /** A sink that keeps nothing (see the class comment). */
    public static Gradients discard() {
        return new Gradients(new LinkedHashMap<>(), "", false, null);
    }

    /**
     * A sink that moves the parameters by W <- W - eta eta_W dR/dW, for one backward pass after each
     * {@link #step(double)} that sets eta. A gradient that is one {@link #product} goes straight into its parameter
     * (the GEMM's beta = 1), so it is never stored nor read back: for the m x m weights of a small batch that is a
     * third of a training step's memory traffic. Gradients layers store ({@link #buffer}, {@link #put}) are applied
     * by {@link #applyStored()} after the pass, one axpy each.
     *
     * @param params the parameters to move, by full name (the antisymmetric copy's with its suffix)
     * @param multipliers eta_W by full parameter name
     */
    public static Gradients descent(Params params, Map<String, Double> multipliers) {
        return new Gradients(new LinkedHashMap<>(), "", true, new Descent(params, Map.copyOf(multipliers)));
    }

    /** The step size eta of the next backward pass of a {@link #descent}; returns this. */
    public Gradients step(double learningRate) {
        requireDescent().learningRate = learningRate;
        return this;
    }

    /** After a backward pass of a {@link #descent}: W <- W - eta eta_W dR/dW for every gradient stored, not applied. */
    public void applyStored() {
        Descent d = requireDescent();
        for (String name : d.stored) {
            SmallArrays.axpy(-d.rate(name), arrays.get(name), d.params.get(name));
        }
        d.stored.clear();
    }

    /**
     * The gradient of the parameter {@code name} is {@code alpha op(a) op(b)} (a matrix with the parameter's entries
     * in row-major order): one GEMM into its buffer, or, for a {@link #descent}, into the parameter itself. Call it
     * after the layer's last read of the parameter in this backward pass.
     */
    public void product(String name, INDArray parameter, INDArray a, INDArray b, boolean transA, boolean transB,
            double alpha) {
        if (!keeping) {
            return;
        }
        long rows = transA ? a.size(1) : a.size(0);
        long columns = transB ? b.size(0) : b.size(1);
        if (descent != null && !parameter.isView() && SmallArrays.contiguous(parameter)) {
            // a whole 'c'-order array: its matrix reshape is a view, so the GEMM writes the parameter itself
            Products.gemm(a, b, matrix(parameter, rows, columns), transA, transB,
                    -descent.rate(name + suffix) * alpha, 1.0);
        } else {
            Products.gemm(a, b, matrix(buffer(name, parameter), rows, columns), transA, transB, alpha, 0.0);
        }
    }

    private static INDArray matrix(INDArray array, long rows, long columns) {
        if (array.length() != rows * columns) {
            throw new FrameworkException(SHAPE_MISMATCH, "a gradient product of shape [%d, %d] for a parameter of "
                    .formatted(rows, columns) + "shape " + Arrays.toString(array.shape()));
        }
        return array.rank() == 2 && array.size(0) == rows ? array : array.reshape(rows, columns);
    }

    private Descent requireDescent() {
        if (descent == null) {
            throw new FrameworkException(INVALID_ARGUMENT, "these gradients are not a descent: make one with "
                    + "Gradients.descent(params, multipliers)");
        }
        return descent;
    }

    /** What a descent moves and how far; shared by every suffixed view. */
    private static final class Descent {
        private final Params params;
        private final Map<String, Double> multipliers;
        private final Set<String> stored = new LinkedHashSet<>();
        private double learningRate = Double.NaN;

        Descent(Params params, Map<String, Double> multipliers) {
            this.params = params;
            this.multipliers = multipliers;
        }

        double rate(String name) {
            if (Double.isNaN(learningRate)) {
                throw new FrameworkException(INVALID_ARGUMENT, "a descent's step size is not set: call step(eta) "
                        + "before the backward pass");
            }
            Double multiplier = multipliers.get(name);
            if (multiplier == null) {
                throw new FrameworkException(UNKNOWN_NAME, "no learning-rate multiplier for '" + name + "'; present: "
                        + multipliers.keySet());
            }
            return learningRate * multiplier;
        }
    }

    /** False for {@link #discard()}: layers may then skip computing parameter gradients. */
    public boolean wanted() {
        return keeping;
    }

    /** A view of the same container whose names carry {@code suffix} (the antisymmetric copy's gradients). */
    public Gradients withSuffix(String suffix) {
        return new Gradients(arrays, this.suffix + suffix, keeping, descent);
    }

    /** Stores the gradient of the parameter {@code name} (nothing for {@link #discard()}). */
    public void put(String name, INDArray gradient) {
        if (keeping) {
            arrays.put(name + suffix, gradient);
            markStored(name);
        }
    }

    /** A descent applies what was stored under name after the pass ({@link #applyStored()}). */
    private void markStored(String name) {
        if (descent != null) {
            descent.stored.add(name + suffix);
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
            markStored(name);
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

    /** Every gradient held by name, read-only (for a {@link #descent}: only those stored, not the products). */
    public Map<String, INDArray> asMap() {
        return java.util.Collections.unmodifiableMap(arrays);
    }
}
